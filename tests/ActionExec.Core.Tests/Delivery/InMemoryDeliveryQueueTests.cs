using ActionExec.Delivery;
using ActionExec.Errors;
using ActionExec.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Delivery;

public sealed class InMemoryDeliveryQueueTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly FakeTimeProvider _time = new(TestTime.Start);

    [Fact]
    public async Task EnqueueAsync_QueueFull_ThrowsUnavailableOnceTheTimeoutElapses()
    {
        using var queue = Create(capacity: 1, enqueueTimeout: TimeSpan.FromSeconds(5));
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);

        var pending = queue.EnqueueAsync(Delivery("d2"), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(5) - Tick);
        Assert.False(pending.IsCompleted);
        _time.Advance(Tick);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => pending.WaitAsync(Generous));
        Assert.Equal(ActionExecErrorCode.Unavailable, error.Code);
        Assert.Equal(
            "The delivery queue is full: all 1 places are taken and none became free within 5 s, so delivery 'd2' was not queued. "
            + "Raise DeliveryOptions.Capacity or DeliveryOptions.EnqueueTimeout, add DeliveryOptions.Workers, or find out why targets answer slowly or fail.",
            error.Message);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task EnqueueAsync_ZeroTimeoutAndQueueFull_ThrowsUnavailableAtOnce()
    {
        using var queue = Create(capacity: 1, enqueueTimeout: TimeSpan.Zero);
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => queue.EnqueueAsync(Delivery("d2"), CancellationToken.None).AsTask());

        Assert.Equal(ActionExecErrorCode.Unavailable, error.Code);
        Assert.StartsWith("The delivery queue is full: all 1 places are taken and none became free within 0 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueAsync_PlaceFreedWithinTheTimeout_QueuesTheDelivery()
    {
        using var queue = Create(capacity: 1);
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);
        var first = await queue.DequeueAsync(CancellationToken.None);

        var pending = queue.EnqueueAsync(Delivery("d2"), CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);
        await queue.CompleteAsync(first, CancellationToken.None);
        await pending.WaitAsync(Generous);

        Assert.Equal(1, queue.Count);
        Assert.Equal("d2", (await queue.DequeueAsync(CancellationToken.None)).Id);
    }

    [Fact]
    public async Task EnqueueAsync_CallerCancelsTheWait_ThrowsOperationCanceled()
    {
        using var queue = Create(capacity: 1);
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var pending = queue.EnqueueAsync(Delivery("d2"), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Generous));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task RescheduleAsync_RetryKeepsItsPlace_SoTheQueueStaysFull()
    {
        using var queue = Create(capacity: 1, enqueueTimeout: TimeSpan.Zero);
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);
        var taken = await queue.DequeueAsync(CancellationToken.None);
        await queue.RescheduleAsync(taken with { Attempts = 1 }, _time.GetUtcNow().AddMinutes(5), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => queue.EnqueueAsync(Delivery("d2"), CancellationToken.None).AsTask());

        Assert.Equal(ActionExecErrorCode.Unavailable, error.Code);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task TryDequeueAsync_RescheduledDelivery_IsHandedOutAtItsDueTimeAndNotBefore()
    {
        using var queue = Create();
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);
        var taken = await queue.DequeueAsync(CancellationToken.None);
        var dueAt = _time.GetUtcNow().AddSeconds(5);
        await queue.RescheduleAsync(taken with { Attempts = 1 }, dueAt, CancellationToken.None);

        Assert.Null(await queue.TryDequeueAsync(CancellationToken.None));
        Assert.Equal(dueAt, queue.NextDueAt);
        _time.Advance(TimeSpan.FromSeconds(5) - Tick);
        Assert.Null(await queue.TryDequeueAsync(CancellationToken.None));
        _time.Advance(Tick);
        var again = await queue.TryDequeueAsync(CancellationToken.None);

        Assert.NotNull(again);
        Assert.Equal("d1", again.Id);
        Assert.Equal(1, again.Attempts);
    }

    [Fact]
    public async Task DequeueAsync_WaitingForARetry_WakesWhenTheInjectedClockReachesItsDueTime()
    {
        using var queue = Create();
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);
        var taken = await queue.DequeueAsync(CancellationToken.None);
        await queue.RescheduleAsync(taken, _time.GetUtcNow().AddMinutes(5), CancellationToken.None);

        var pending = queue.DequeueAsync(CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal("d1", (await pending.WaitAsync(Generous)).Id);
    }

    [Fact]
    public async Task DequeueAsync_WaitingOnAnEmptyQueue_WakesWhenADeliveryIsQueued()
    {
        using var queue = Create();

        var pending = queue.DequeueAsync(CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);

        Assert.Equal("d1", (await pending.WaitAsync(Generous)).Id);
    }

    [Fact]
    public async Task DequeueAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var queue = Create();
        using var cancel = new CancellationTokenSource();

        var pending = queue.DequeueAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Generous));
    }

    [Fact]
    public async Task DequeueAsync_HandsOutByDueTimeThenInQueueOrder()
    {
        using var queue = Create();
        await queue.EnqueueAsync(Delivery("a"), CancellationToken.None);
        await queue.EnqueueAsync(Delivery("b"), CancellationToken.None);
        await queue.EnqueueAsync(Delivery("c"), CancellationToken.None);
        var a = await queue.DequeueAsync(CancellationToken.None);
        await queue.RescheduleAsync(a, _time.GetUtcNow().AddSeconds(1), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        await queue.EnqueueAsync(Delivery("d"), CancellationToken.None);

        var order = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            order.Add((await queue.DequeueAsync(CancellationToken.None)).Id);
        }

        Assert.Equal(["b", "c", "a", "d"], order);
    }

    [Fact]
    public async Task DequeueAsync_ManyConcurrentWaitersAndProducers_HandsOutEveryDeliveryExactlyOnce()
    {
        using var queue = Create(capacity: 1000);
        const int count = 200;

        var consumers = Enumerable.Range(0, count)
            .Select(_ => Task.Run(async () => (await queue.DequeueAsync(CancellationToken.None)).Id))
            .ToArray();
        var producers = Enumerable.Range(0, count)
            .Select(i => Task.Run(async () => await queue.EnqueueAsync(Delivery("d" + i), CancellationToken.None)))
            .ToArray();
        await Task.WhenAll(producers).WaitAsync(Generous);
        var ids = await Task.WhenAll(consumers).WaitAsync(Generous);

        Assert.Equal(count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(count, queue.Count);
    }

    [Fact]
    public async Task CompleteAsync_FreesThePlace()
    {
        using var queue = Create(capacity: 1, enqueueTimeout: TimeSpan.Zero);
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);
        await queue.CompleteAsync(await queue.DequeueAsync(CancellationToken.None), CancellationToken.None);

        await queue.EnqueueAsync(Delivery("d2"), CancellationToken.None);

        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task CompleteAsync_DeliveryNotInFlight_ThrowsInvalidOperation()
    {
        using var queue = Create();
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => queue.CompleteAsync(Delivery("d1"), CancellationToken.None).AsTask());

        Assert.Equal("Delivery 'd1' is not in flight: only a delivery taken from this queue can be rescheduled or completed, and only once.", error.Message);
    }

    [Fact]
    public async Task EnqueueAsync_IdAlreadyQueued_ThrowsArgumentException()
    {
        using var queue = Create();
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(Delivery("d1"), CancellationToken.None).AsTask());

        Assert.StartsWith("A delivery with id 'd1' is already queued; give every delivery its own id.", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task CloseAsync_ReturnsWhatWaits_AndRefusesNewDeliveries()
    {
        using var queue = Create(capacity: 3);
        await queue.EnqueueAsync(Delivery("a"), CancellationToken.None);
        await queue.EnqueueAsync(Delivery("b"), CancellationToken.None);
        await queue.EnqueueAsync(Delivery("c"), CancellationToken.None);
        var a = await queue.DequeueAsync(CancellationToken.None);
        await queue.RescheduleAsync(a with { Attempts = 2 }, _time.GetUtcNow().AddHours(1), CancellationToken.None);
        var inFlight = await queue.DequeueAsync(CancellationToken.None);

        var left = await queue.CloseAsync(CancellationToken.None);

        Assert.Equal(["c", "a"], left.Select(d => d.Id));
        Assert.Equal(2, left[1].Attempts);
        Assert.Equal("b", inFlight.Id);
        Assert.Equal(1, queue.Count);
        var refused = await Assert.ThrowsAsync<ActionExecException>(() => queue.EnqueueAsync(Delivery("d"), CancellationToken.None).AsTask());
        Assert.Equal(ActionExecErrorCode.Unavailable, refused.Code);
        Assert.Equal("The delivery queue is closed because the host is shutting down, so delivery 'd' was not queued; publish it again once the host has restarted.", refused.Message);
        await Assert.ThrowsAsync<ActionExecException>(() => queue.RescheduleAsync(inFlight, _time.GetUtcNow(), CancellationToken.None).AsTask());
        Assert.Equal(0, queue.Count);
        Assert.Null(await queue.TryDequeueAsync(CancellationToken.None));
        Assert.Empty(await queue.CloseAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CloseAsync_EnqueueWaitingForAPlace_FailsAsClosed()
    {
        using var queue = Create(capacity: 1);
        await queue.EnqueueAsync(Delivery("d1"), CancellationToken.None);
        var pending = queue.EnqueueAsync(Delivery("d2"), CancellationToken.None).AsTask();

        await queue.CloseAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => pending.WaitAsync(Generous));
        Assert.Equal(ActionExecErrorCode.Unavailable, error.Code);
        Assert.StartsWith("The delivery queue is closed", error.Message, StringComparison.Ordinal);
    }

    private InMemoryDeliveryQueue Create(int capacity = 10, TimeSpan? enqueueTimeout = null) =>
        new(Options.Create(new DeliveryOptions { Capacity = capacity, EnqueueTimeout = enqueueTimeout ?? TimeSpan.FromSeconds(5) }), _time);

    private BackgroundDelivery Delivery(string id) => new()
    {
        Id = id,
        TenantId = "t",
        Source = "event/user.added",
        TargetIds = ["target"],
        Payload = "{}"u8.ToArray(),
        CreatedAt = _time.GetUtcNow(),
    };
}
