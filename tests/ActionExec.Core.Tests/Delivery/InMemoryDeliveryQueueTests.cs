using ActionExec.Delivery;
using ActionExec.Errors;
using ActionExec.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Delivery;

/// <summary>What only the in-memory queue does: its places, its bounded history, its wake-ups and its close. The rest is in <see cref="DeliveryQueueContract"/>.</summary>
public sealed class InMemoryDeliveryQueueTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(TestTime.Start);

    [Fact]
    public async Task EnqueueAsync_QueueFull_ThrowsUnavailableOnceTheTimeoutElapses()
    {
        using var queue = Create(capacity: 1, enqueueTimeout: TimeSpan.FromSeconds(5));
        await EnqueueAsync(queue, "d1");

        var pending = EnqueueAsync(queue, "d2");
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
        await EnqueueAsync(queue, "d1");

        var error = await Assert.ThrowsAsync<ActionExecException>(() => EnqueueAsync(queue, "d2"));

        Assert.Equal(ActionExecErrorCode.Unavailable, error.Code);
        Assert.StartsWith("The delivery queue is full: all 1 places are taken and none became free within 0 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueAsync_QueueFullButIdKnown_ReturnsFalseWithoutWaiting()
    {
        using var queue = Create(capacity: 1, enqueueTimeout: TimeSpan.FromHours(1));
        await EnqueueAsync(queue, "d1");

        Assert.False(await queue.EnqueueAsync(Delivery("d1"), _time.GetUtcNow(), CancellationToken.None).AsTask().WaitAsync(Generous));
    }

    [Fact]
    public async Task EnqueueAsync_PlaceFreedWithinTheTimeout_QueuesTheDelivery()
    {
        using var queue = Create(capacity: 1);
        await EnqueueAsync(queue, "d1");
        var first = Assert.Single(await LeaseAsync(queue));

        var pending = EnqueueAsync(queue, "d2");
        Assert.False(pending.IsCompleted);
        Assert.True(await queue.CompleteAsync(first, first.Delivery, [], CancellationToken.None));
        await pending.WaitAsync(Generous);

        Assert.Equal(1, queue.Count);
        Assert.Equal("d2", Assert.Single(await LeaseAsync(queue)).Delivery.Id);
    }

    [Fact]
    public async Task EnqueueAsync_CallerCancelsTheWait_ThrowsOperationCanceled()
    {
        using var queue = Create(capacity: 1);
        await EnqueueAsync(queue, "d1");
        using var cancel = new CancellationTokenSource();

        var pending = queue.EnqueueAsync(Delivery("d2"), _time.GetUtcNow(), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Generous));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task EnqueueAsync_DeliveryWithoutATenant_ThrowsArgumentException()
    {
        using var queue = Create();

        await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(Delivery("d1") with { TenantId = "" }, _time.GetUtcNow(), CancellationToken.None).AsTask());

        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task RescheduleAsync_RetryKeepsItsPlace_SoTheQueueStaysFull()
    {
        using var queue = Create(capacity: 1, enqueueTimeout: TimeSpan.Zero);
        await EnqueueAsync(queue, "d1");
        var lease = Assert.Single(await LeaseAsync(queue));
        await queue.RescheduleAsync(lease, lease.Delivery with { Attempts = 1 }, _time.GetUtcNow().AddMinutes(5), [], CancellationToken.None);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => EnqueueAsync(queue, "d2"));

        Assert.Equal(ActionExecErrorCode.Unavailable, error.Code);
        Assert.Equal(1, queue.Count);
        Assert.Equal(_time.GetUtcNow().AddMinutes(5), queue.NextDueAt);
    }

    [Fact]
    public async Task DeadLetterAsync_FreesThePlace()
    {
        using var queue = Create(capacity: 1, enqueueTimeout: TimeSpan.Zero);
        await EnqueueAsync(queue, "d1");
        var lease = Assert.Single(await LeaseAsync(queue));
        await queue.DeadLetterAsync(lease, lease.Delivery with { GivenUpTargetIds = ["target"] }, [], CancellationToken.None);

        await EnqueueAsync(queue, "d2");

        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task CheckpointAsync_ProgressOfAnotherDelivery_ThrowsArgumentException()
    {
        using var queue = Create();
        await EnqueueAsync(queue, "d1");
        var lease = Assert.Single(await LeaseAsync(queue));

        await Assert.ThrowsAsync<ArgumentException>(() => queue.CheckpointAsync(lease, Delivery("d2"), [], CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task ReplayAsync_QueueFull_ThrowsUnavailableAndChangesNothing()
    {
        using var queue = Create(capacity: 1, enqueueTimeout: TimeSpan.Zero);
        await EnqueueAsync(queue, "d1");
        var lease = Assert.Single(await LeaseAsync(queue));
        await queue.DeadLetterAsync(lease, lease.Delivery with { GivenUpTargetIds = ["target"] }, [], CancellationToken.None);
        await EnqueueAsync(queue, "d2");

        var error = await Assert.ThrowsAsync<ActionExecException>(() => queue.ReplayAsync("t", "d1", CancellationToken.None).AsTask());
        var all = await Assert.ThrowsAsync<ActionExecException>(() => queue.ReplayDeadLettersAsync("t", TestTime.Start, null, CancellationToken.None).AsTask());

        Assert.Equal(ActionExecErrorCode.Unavailable, error.Code);
        Assert.Equal(ActionExecErrorCode.Unavailable, all.Code);
        Assert.Equal(DeliveryStatus.DeadLettered, (await queue.GetAsync("t", "d1", CancellationToken.None))!.Status);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task History_MoreFinishedThanItsCapacity_DropsTheOldestFinished()
    {
        using var queue = Create(historyCapacity: 2);
        await EnqueueAsync(queue, "waiting", dueAt: _time.GetUtcNow().AddHours(1));
        foreach (var id in new[] { "a", "b", "c" })
        {
            await EnqueueAsync(queue, id);
            var lease = Assert.Single(await LeaseAsync(queue));
            await queue.CompleteAsync(lease, lease.Delivery, [], CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Null(await queue.GetAsync("t", "a", CancellationToken.None));
        Assert.NotNull(await queue.GetAsync("t", "b", CancellationToken.None));
        Assert.NotNull(await queue.GetAsync("t", "c", CancellationToken.None));
        Assert.NotNull(await queue.GetAsync("t", "waiting", CancellationToken.None));
        Assert.True(await queue.EnqueueAsync(Delivery("a"), _time.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_RetryScheduled_WakesWhenTheInjectedClockReachesItsDueTime()
    {
        using var queue = Create();
        await EnqueueAsync(queue, "d1");
        var lease = Assert.Single(await LeaseAsync(queue));
        await queue.RescheduleAsync(lease, lease.Delivery, _time.GetUtcNow().AddMinutes(5), [], CancellationToken.None);

        var waiting = queue.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMinutes(5) - Tick);
        Assert.False(waiting.IsCompleted);
        _time.Advance(Tick);

        await waiting.WaitAsync(Generous);
        Assert.Single(await LeaseAsync(queue));
    }

    [Fact]
    public async Task WaitAsync_LeaseHeld_WakesWhenTheLeaseRunsOut()
    {
        using var queue = Create();
        await EnqueueAsync(queue, "d1");
        Assert.Single(await LeaseAsync(queue));

        var waiting = queue.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None).AsTask();
        _time.Advance(Lease - Tick);
        Assert.False(waiting.IsCompleted);
        _time.Advance(Tick);

        await waiting.WaitAsync(Generous);
    }

    [Fact]
    public async Task WaitAsync_SomethingIsDue_ReturnsAtOnce()
    {
        using var queue = Create();
        await EnqueueAsync(queue, "d1");

        await queue.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None).AsTask().WaitAsync(Generous);
    }

    [Fact]
    public async Task WaitAsync_DeliveryRescheduled_Wakes()
    {
        using var queue = Create();
        await EnqueueAsync(queue, "d1");
        var lease = Assert.Single(await LeaseAsync(queue));
        await queue.ExtendLeaseAsync(lease, TimeSpan.FromHours(2), CancellationToken.None);

        var waiting = queue.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        await queue.RescheduleAsync(lease, lease.Delivery, _time.GetUtcNow(), [], CancellationToken.None);

        await waiting.WaitAsync(Generous);
    }

    [Fact]
    public async Task LeaseAsync_ManyConcurrentProducersAndLeasers_HandsOutEveryDeliveryExactlyOnce()
    {
        using var queue = Create(capacity: 1000);
        const int count = 200;
        var leased = new System.Collections.Concurrent.ConcurrentBag<string>();

        var producers = Enumerable.Range(0, count).Select(i => Task.Run(() => EnqueueAsync(queue, "d" + i))).ToArray();
        var leasers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (leased.Count < count)
            {
                foreach (var lease in await queue.LeaseAsync(3, Lease, CancellationToken.None))
                {
                    leased.Add(lease.Delivery.Id);
                    Assert.True(await queue.CompleteAsync(lease, lease.Delivery, [], CancellationToken.None));
                }

                await Task.Yield();
            }
        })).ToArray();
        await Task.WhenAll(producers).WaitAsync(Generous);
        await Task.WhenAll(leasers).WaitAsync(Generous);

        Assert.Equal(count, leased.Count);
        Assert.Equal(count, leased.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task CloseAsync_ReturnsEveryUnfinishedDeliveryEarliestDueFirst_AndRefusesNewDeliveries()
    {
        using var queue = Create(capacity: 3);
        await EnqueueAsync(queue, "a");
        await EnqueueAsync(queue, "b");
        await EnqueueAsync(queue, "c");
        var a = Assert.Single(await queue.LeaseAsync(1, Lease, CancellationToken.None));
        await queue.RescheduleAsync(a, a.Delivery with { Attempts = 2 }, _time.GetUtcNow().AddHours(1), [], CancellationToken.None);
        var b = Assert.Single(await queue.LeaseAsync(1, Lease, CancellationToken.None));

        var left = await queue.CloseAsync(CancellationToken.None);

        Assert.Equal(["b", "c", "a"], left.Select(d => d.Id));
        Assert.Equal(2, left[2].Attempts);
        Assert.Equal(0, queue.Count);
        var refused = await Assert.ThrowsAsync<ActionExecException>(() => EnqueueAsync(queue, "d"));
        Assert.Equal(ActionExecErrorCode.Unavailable, refused.Code);
        Assert.Equal("The delivery queue is closed because the host is shutting down, so delivery 'd' was not queued; publish it again once the host has restarted.", refused.Message);
        Assert.False(await queue.CompleteAsync(b, b.Delivery, [], CancellationToken.None));
        Assert.Empty(await LeaseAsync(queue));
        Assert.Empty(await queue.CloseAsync(CancellationToken.None));
        await queue.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None).AsTask().WaitAsync(Generous);
    }

    [Fact]
    public async Task CloseAsync_EnqueueWaitingForAPlace_FailsAsClosed()
    {
        using var queue = Create(capacity: 1);
        await EnqueueAsync(queue, "d1");
        var pending = EnqueueAsync(queue, "d2");

        await queue.CloseAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => pending.WaitAsync(Generous));
        Assert.Equal(ActionExecErrorCode.Unavailable, error.Code);
        Assert.StartsWith("The delivery queue is closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeaseAsync_CountBelowOneOrDurationNotPositive_ThrowsArgumentOutOfRange()
    {
        using var queue = Create();
        await EnqueueAsync(queue, "d1");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.LeaseAsync(0, Lease, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.LeaseAsync(1, TimeSpan.Zero, CancellationToken.None).AsTask());

        var lease = Assert.Single(await queue.LeaseAsync(1, TimeSpan.FromTicks(1), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ExtendLeaseAsync(lease, TimeSpan.Zero, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task History_ExactlyAtItsCapacity_KeepsEveryFinishedDelivery()
    {
        using var queue = Create(historyCapacity: 2);
        foreach (var id in new[] { "a", "b" })
        {
            await EnqueueAsync(queue, id);
            var lease = Assert.Single(await LeaseAsync(queue));
            await queue.CompleteAsync(lease, lease.Delivery, [], CancellationToken.None);
        }

        Assert.NotNull(await queue.GetAsync("t", "a", CancellationToken.None));
        Assert.NotNull(await queue.GetAsync("t", "b", CancellationToken.None));
    }

    [Fact]
    public async Task History_FinishedExactlyTheRetentionAgo_IsPurged()
    {
        using var queue = new InMemoryDeliveryQueue(Options.Create(new DeliveryOptions { HistoryRetention = TimeSpan.FromHours(1) }), _time);
        await EnqueueAsync(queue, "d1");
        var lease = Assert.Single(await LeaseAsync(queue));
        await queue.CompleteAsync(lease, lease.Delivery, [], CancellationToken.None);

        _time.Advance(TimeSpan.FromHours(1) - Tick);
        Assert.NotNull(await queue.GetAsync("t", "d1", CancellationToken.None));
        _time.Advance(Tick);
        Assert.Null(await queue.GetAsync("t", "d1", CancellationToken.None));
    }

    [Fact]
    public async Task ReplayAsync_Closed_ThrowsUnavailable()
    {
        using var queue = Create();
        await EnqueueAsync(queue, "d1");
        var lease = Assert.Single(await LeaseAsync(queue));
        await queue.DeadLetterAsync(lease, lease.Delivery with { GivenUpTargetIds = ["target"] }, [], CancellationToken.None);
        await queue.CloseAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => queue.ReplayAsync("t", "d1", CancellationToken.None).AsTask());

        Assert.Equal(ActionExecErrorCode.Unavailable, error.Code);
    }

    [Fact]
    public async Task QueryAsync_LimitOutOfRange_IsClampedByTheQueueItself()
    {
        using var queue = Create();
        await EnqueueAsync(queue, "a");
        await EnqueueAsync(queue, "b");

        var page = await queue.QueryAsync("t", new DeliveryQuery { Limit = 0, Offset = -3 }, CancellationToken.None);

        Assert.Single(page.Deliveries);
        Assert.Equal(2, page.TotalCount);
    }

    [Fact]
    public async Task ReplayAsync_OnePlaceFree_TakesExactlyOnePlace()
    {
        using var queue = Create(capacity: 2, enqueueTimeout: TimeSpan.Zero);
        await EnqueueAsync(queue, "d1");
        var lease = Assert.Single(await LeaseAsync(queue));
        await queue.DeadLetterAsync(lease, lease.Delivery with { GivenUpTargetIds = ["target"] }, [], CancellationToken.None);

        await queue.ReplayAsync("t", "d1", CancellationToken.None);
        await EnqueueAsync(queue, "d2");

        Assert.Equal(2, queue.Count);
        await Assert.ThrowsAsync<ActionExecException>(() => EnqueueAsync(queue, "d3"));
    }

    [Fact]
    public async Task History_ReplayedDelivery_NoLongerCountsAsFinished()
    {
        using var queue = Create(historyCapacity: 2);
        foreach (var id in new[] { "a", "b" })
        {
            await EnqueueAsync(queue, id);
            var lease = Assert.Single(await LeaseAsync(queue));
            await queue.CompleteAsync(lease, lease.Delivery, [], CancellationToken.None);
        }

        await queue.ReplayAsync("t", "a", CancellationToken.None);
        Assert.Equal("a", Assert.Single(await LeaseAsync(queue)).Delivery.Id);
        await EnqueueAsync(queue, "c");
        _time.Advance(TimeSpan.FromSeconds(1));
        var c = Assert.Single(await LeaseAsync(queue), l => string.Equals(l.Delivery.Id, "c", StringComparison.Ordinal));
        await queue.CompleteAsync(c, c.Delivery, [], CancellationToken.None);

        Assert.NotNull(await queue.GetAsync("t", "b", CancellationToken.None));
        Assert.NotNull(await queue.GetAsync("t", "c", CancellationToken.None));
        Assert.Equal(DeliveryStatus.Pending, (await queue.GetAsync("t", "a", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task WaitAsync_NoMaximumAndARetryScheduled_WakesAtItsDueTime()
    {
        using var queue = Create();
        await EnqueueAsync(queue, "d1", dueAt: _time.GetUtcNow().AddMinutes(5));

        var waiting = queue.WaitAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMinutes(5) - Tick);
        Assert.False(waiting.IsCompleted);
        _time.Advance(Tick);

        await waiting.WaitAsync(Generous);
    }

    private InMemoryDeliveryQueue Create(int capacity = 10, TimeSpan? enqueueTimeout = null, int historyCapacity = 100) =>
        new(Options.Create(new DeliveryOptions { Capacity = capacity, EnqueueTimeout = enqueueTimeout ?? TimeSpan.FromSeconds(5), HistoryCapacity = historyCapacity }), _time);

    private Task EnqueueAsync(InMemoryDeliveryQueue queue, string id, DateTimeOffset? dueAt = null) =>
        queue.EnqueueAsync(Delivery(id), dueAt ?? _time.GetUtcNow(), CancellationToken.None).AsTask();

    private static Task<IReadOnlyList<DeliveryLease>> LeaseAsync(InMemoryDeliveryQueue queue) => queue.LeaseAsync(10, Lease, CancellationToken.None).AsTask();

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
