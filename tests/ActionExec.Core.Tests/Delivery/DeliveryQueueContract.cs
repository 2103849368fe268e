using System.Collections.Immutable;
using ActionExec.Delivery;
using ActionExec.Errors;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Delivery;

/// <summary>
/// What every <see cref="IDeliveryQueue"/> that also keeps the <see cref="IDeliveryHistory"/> must do, run against each queue
/// (this file is shared as source by the tests of the in-memory queue and of the PostgreSQL queue): idempotent enqueue, leases
/// that are never held twice and that run out, checkpoints, the three ways a lease ends with the attempts recorded, replay, and
/// a history kept per tenant for the retention time. Every time comes from the <see cref="FakeTimeProvider"/> given to the factory.
/// </summary>
public abstract class DeliveryQueueContract : IAsyncLifetime
{
    protected const string Tenant = "tenant-a";
    protected const string OtherTenant = "tenant-b";

    /// <summary>Where the clock starts: whole seconds, so any store gives back the same instant.</summary>
    protected static readonly DateTimeOffset Start = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly List<object> _created = [];

    protected FakeTimeProvider Time { get; } = new(Start);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var queue in _created)
        {
            if (queue is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (queue is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    [Fact]
    public async Task EnqueueAsync_NewDelivery_IsPendingAndCountedUntilDue()
    {
        var queue = await CreateAsync();
        var dueAt = Start.AddSeconds(5);

        Assert.True(await queue.EnqueueAsync(Delivery("d1"), dueAt, CancellationToken.None));

        var record = await History(queue).GetAsync(Tenant, "d1", CancellationToken.None);
        Assert.NotNull(record);
        Assert.Equal(DeliveryStatus.Pending, record.Status);
        Assert.Equal(dueAt, record.NextAttemptAt);
        Assert.Equal(Start, record.CreatedAt);
        Assert.Equal<string>(["t1", "t2"], record.TargetIds);
        Assert.Equal("event/user.human.added", record.Source);
        Assert.Empty(record.Attempts);
        Assert.Equal(1, await queue.CountAsync(CancellationToken.None));
        Assert.Empty(await LeaseAsync(queue));
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("d1", Assert.Single(await LeaseAsync(queue)).Delivery.Id);
    }

    [Fact]
    public async Task EnqueueAsync_SameIdAgain_ReturnsFalseAndChangesNothing()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);

        var again = await queue.EnqueueAsync(Delivery("d1", targets: ["other"]) with { Source = "event/other" }, Start.AddHours(1), CancellationToken.None);

        Assert.False(again);
        var record = await History(queue).GetAsync(Tenant, "d1", CancellationToken.None);
        Assert.Equal<string>(["t1", "t2"], record!.TargetIds);
        Assert.Equal(Start, record.NextAttemptAt);
        Assert.Equal(1, await queue.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EnqueueAsync_SameIdWhileLeasedOrFinished_ReturnsFalseWhileRetained()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));

        Assert.False(await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None));
        Assert.True(await queue.CompleteAsync(lease, Done(lease.Delivery), [], CancellationToken.None));
        Assert.False(await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None));

        Assert.Equal(DeliveryStatus.Delivered, (await History(queue).GetAsync(Tenant, "d1", CancellationToken.None))!.Status);
        Assert.Equal(0, await queue.CountAsync(CancellationToken.None));
        Assert.Empty(await LeaseAsync(queue));
    }

    [Fact]
    public async Task LeaseAsync_SeveralDue_EarliestDueFirstUpToTheCount()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("late"), Start.AddSeconds(3), CancellationToken.None);
        await queue.EnqueueAsync(Delivery("early"), Start.AddSeconds(1), CancellationToken.None);
        await queue.EnqueueAsync(Delivery("middle"), Start.AddSeconds(2), CancellationToken.None);
        await queue.EnqueueAsync(Delivery("future"), Start.AddMinutes(1), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(3));

        var first = await queue.LeaseAsync(2, Lease, CancellationToken.None);
        var rest = await queue.LeaseAsync(10, Lease, CancellationToken.None);

        Assert.Equal(["early", "middle"], first.Select(l => l.Delivery.Id));
        Assert.Equal(["late"], rest.Select(l => l.Delivery.Id));
        Assert.All(first.Concat(rest), l => Assert.Equal(Time.GetUtcNow() + Lease, l.LeasedUntil));
        Assert.Equal(4, await queue.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task LeaseAsync_DeliveryLeased_IsNotLeasedAgainWhileTheLeaseHolds()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));

        Time.Advance(Lease - TimeSpan.FromSeconds(1));

        Assert.Empty(await LeaseAsync(queue));
        Assert.False(string.IsNullOrEmpty(lease.LeaseId));
        Assert.Equal(Start + Lease, lease.LeasedUntil);
    }

    [Fact]
    public async Task LeaseAsync_ConcurrentCallers_NeverHandOutADeliveryTwice()
    {
        var queue = await CreateAsync();
        const int count = 40;
        for (var i = 0; i < count; i++)
        {
            await queue.EnqueueAsync(Delivery("d" + i), Start, CancellationToken.None);
        }

        var leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await queue.LeaseAsync(7, Lease, CancellationToken.None)))).WaitAsync(Generous);

        var ids = leases.SelectMany(l => l).Select(l => l.Delivery.Id).ToList();
        Assert.Equal(count, ids.Count);
        Assert.Equal(count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(count, leases.SelectMany(l => l).Select(l => l.LeaseId).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task LeaseAsync_LeaseRanOut_TheDeliveryIsDueAgainUnderANewLease()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var first = Assert.Single(await LeaseAsync(queue));

        Time.Advance(Lease);
        var second = Assert.Single(await LeaseAsync(queue));

        Assert.Equal("d1", second.Delivery.Id);
        Assert.NotEqual(first.LeaseId, second.LeaseId);
        Assert.Equal(1, await queue.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task LostLease_EveryCallWithIt_ReturnsFalseAndChangesNothing()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var old = Assert.Single(await LeaseAsync(queue));
        Time.Advance(Lease);
        var current = Assert.Single(await LeaseAsync(queue));
        var progress = old.Delivery with { NextTarget = 1 };
        DeliveryAttempt[] attempts = [Attempt(old.Delivery, "t1", 1, DeliveryAttemptOutcome.Succeeded)];

        Assert.False(await queue.ExtendLeaseAsync(old, Lease, CancellationToken.None));
        Assert.False(await queue.CheckpointAsync(old, progress, attempts, CancellationToken.None));
        Assert.False(await queue.RescheduleAsync(old, progress, Start.AddHours(1), attempts, CancellationToken.None));
        Assert.False(await queue.CompleteAsync(old, Done(progress), attempts, CancellationToken.None));
        Assert.False(await queue.DeadLetterAsync(old, Done(progress) with { GivenUpTargetIds = ["t2"] }, attempts, CancellationToken.None));

        var record = await History(queue).GetAsync(Tenant, "d1", CancellationToken.None);
        Assert.Equal(DeliveryStatus.Pending, record!.Status);
        Assert.Empty(record.Attempts);
        Assert.True(await queue.CompleteAsync(current, Done(current.Delivery), [], CancellationToken.None));
    }

    [Fact]
    public async Task LostLease_RanOutWithoutAnotherLease_ReturnsFalse()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));

        Time.Advance(Lease);

        Assert.False(await queue.ExtendLeaseAsync(lease, Lease, CancellationToken.None));
        Assert.False(await queue.CompleteAsync(lease, Done(lease.Delivery), [], CancellationToken.None));
        Assert.Equal(DeliveryStatus.Pending, (await History(queue).GetAsync(Tenant, "d1", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task ExtendLeaseAsync_LeaseHeld_KeepsTheDeliveryPastTheFirstEnd()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));

        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await queue.ExtendLeaseAsync(lease, Lease, CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(20));

        Assert.Empty(await LeaseAsync(queue));
        Assert.True(await queue.ExtendLeaseAsync(lease, Lease, CancellationToken.None));
        Time.Advance(Lease);
        Assert.Single(await LeaseAsync(queue));
    }

    [Fact]
    public async Task CheckpointAsync_LeaseHeld_KeepsTheLeaseAndALaterLeaseSeesTheProgress()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1", targets: ["t1", "t2", "t3"]), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));
        var progress = lease.Delivery with { NextTarget = 2, GivenUpTargetIds = ["t2"] };
        DeliveryAttempt[] attempts =
        [
            Attempt(lease.Delivery, "t1", 1, DeliveryAttemptOutcome.Succeeded),
            Attempt(lease.Delivery, "t2", 1, DeliveryAttemptOutcome.GaveUp),
        ];

        Assert.True(await queue.CheckpointAsync(lease, progress, attempts, CancellationToken.None));
        Assert.Empty(await LeaseAsync(queue));
        Assert.True(await queue.ExtendLeaseAsync(lease, Lease, CancellationToken.None));

        // The worker dies: its lease runs out, and the next worker resumes at the third target.
        Time.Advance(Lease);
        var resumed = Assert.Single(await LeaseAsync(queue));
        Assert.Equal(2, resumed.Delivery.NextTarget);
        Assert.Equal<string>(["t2"], resumed.Delivery.GivenUpTargetIds);
        Assert.Equal<string>(["t1", "t2", "t3"], resumed.Delivery.TargetIds);
        Assert.Equal("{\"n\":1}"u8.ToArray(), resumed.Delivery.Payload.ToArray());
        var record = await History(queue).GetAsync(Tenant, "d1", CancellationToken.None);
        Assert.Equal<DeliveryAttempt>(attempts, record!.Attempts);
    }

    [Fact]
    public async Task RescheduleAsync_LeaseHeld_EndsTheLeaseAndIsDueAgainAtItsTime()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));
        var progress = lease.Delivery with { Attempts = 1, LastStatusCode = 503, LastReason = "the target answered 503" };
        var dueAt = Start.AddSeconds(5);

        Assert.True(await queue.RescheduleAsync(lease, progress, dueAt, [Attempt(lease.Delivery, "t1", 1, DeliveryAttemptOutcome.Retrying, 503)], CancellationToken.None));

        Assert.False(await queue.ExtendLeaseAsync(lease, Lease, CancellationToken.None));
        var record = await History(queue).GetAsync(Tenant, "d1", CancellationToken.None);
        Assert.Equal(DeliveryStatus.Pending, record!.Status);
        Assert.Equal(dueAt, record.NextAttemptAt);
        Assert.Equal(DeliveryAttemptOutcome.Retrying, Assert.Single(record.Attempts).Outcome);
        Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Empty(await LeaseAsync(queue));
        Time.Advance(TimeSpan.FromSeconds(1));
        var again = Assert.Single(await LeaseAsync(queue));
        Assert.Equal(1, again.Delivery.Attempts);
        Assert.Equal(503, again.Delivery.LastStatusCode);
        Assert.Equal("the target answered 503", again.Delivery.LastReason);
    }

    [Fact]
    public async Task RescheduleAsync_DueAtOnce_CanBeLeasedAgainAtOnce()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));

        Assert.True(await queue.RescheduleAsync(lease, lease.Delivery, Time.GetUtcNow(), [], CancellationToken.None));

        Assert.Equal("d1", Assert.Single(await LeaseAsync(queue)).Delivery.Id);
    }

    [Fact]
    public async Task CompleteAsync_LeaseHeld_IsDeliveredWithItsAttemptsInOrder()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));
        var first = Attempt(lease.Delivery, "t1", 1, DeliveryAttemptOutcome.Succeeded, 200);
        Assert.True(await queue.CheckpointAsync(lease, lease.Delivery with { NextTarget = 1 }, [first], CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = Attempt(lease.Delivery, "t2", 1, DeliveryAttemptOutcome.Succeeded, 204);

        Assert.True(await queue.CompleteAsync(lease, Done(lease.Delivery), [second], CancellationToken.None));

        var record = await History(queue).GetAsync(Tenant, "d1", CancellationToken.None);
        Assert.Equal(DeliveryStatus.Delivered, record!.Status);
        Assert.Equal<DeliveryAttempt>([first, second], record.Attempts);
        Assert.Null(record.NextAttemptAt);
        Assert.Empty(record.GivenUpTargetIds);
        Assert.Equal(Start.AddSeconds(1), record.UpdatedAt);
        Assert.Equal(0, await queue.CountAsync(CancellationToken.None));
        Assert.False(await queue.ExtendLeaseAsync(lease, Lease, CancellationToken.None));
        Assert.False(await queue.CompleteAsync(lease, Done(lease.Delivery), [], CancellationToken.None));
        Time.Advance(Lease);
        Assert.Empty(await LeaseAsync(queue));
    }

    [Fact]
    public async Task DeadLetterAsync_LeaseHeld_IsDeadLetteredAndKeptWithItsPayload()
    {
        var queue = await CreateAsync(o => o.RecordBodies = true);
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));
        var gaveUp = Attempt(lease.Delivery, "t1", 1, DeliveryAttemptOutcome.GaveUp, 410) with { ResponseBody = "gone" };

        Assert.True(await queue.DeadLetterAsync(lease, Done(lease.Delivery) with { GivenUpTargetIds = ["t1", "t2"] }, [gaveUp], CancellationToken.None));

        var record = await History(queue).GetAsync(Tenant, "d1", CancellationToken.None);
        Assert.Equal(DeliveryStatus.DeadLettered, record!.Status);
        Assert.Equal<string>(["t1", "t2"], record.GivenUpTargetIds);
        Assert.Equal(gaveUp, Assert.Single(record.Attempts));
        Assert.Equal("{\"n\":1}", record.Payload);
        Assert.Equal(0, await queue.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_RecordBodiesOff_HasNoPayload()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));
        await queue.CompleteAsync(lease, Done(lease.Delivery), [], CancellationToken.None);

        Assert.Null((await History(queue).GetAsync(Tenant, "d1", CancellationToken.None))!.Payload);
    }

    [Fact]
    public async Task ReplayAsync_DeadLetter_IsPendingDueNowForTheTargetsItGaveUpWithTheSameId()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1", targets: ["t1", "t2", "t3"]), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));
        var finished = Done(lease.Delivery) with { GivenUpTargetIds = ["t2", "t3"], Attempts = 3, LastStatusCode = 500, LastReason = "the target answered 500" };
        await queue.DeadLetterAsync(lease, finished, [Attempt(lease.Delivery, "t2", 1, DeliveryAttemptOutcome.GaveUp, 500)], CancellationToken.None);
        Time.Advance(TimeSpan.FromHours(1));

        var replayed = await History(queue).ReplayAsync(Tenant, "d1", CancellationToken.None);

        Assert.NotNull(replayed);
        Assert.Equal("d1", replayed.Id);
        Assert.Equal(DeliveryStatus.Pending, replayed.Status);
        Assert.Equal<string>(["t2", "t3"], replayed.TargetIds);
        Assert.Empty(replayed.GivenUpTargetIds);
        Assert.Equal(1, replayed.Replays);
        Assert.Equal(Time.GetUtcNow(), replayed.NextAttemptAt);
        Assert.Equal(Time.GetUtcNow(), replayed.UpdatedAt);
        Assert.Equal(1, await queue.CountAsync(CancellationToken.None));
        var again = Assert.Single(await LeaseAsync(queue));
        Assert.Equal("d1", again.Delivery.Id);
        Assert.Equal<string>(["t2", "t3"], again.Delivery.TargetIds);
        Assert.Equal(0, again.Delivery.NextTarget);
        Assert.Equal(0, again.Delivery.Attempts);
        Assert.Null(again.Delivery.LastStatusCode);
        Assert.Null(again.Delivery.LastReason);
        Assert.Empty(again.Delivery.GivenUpTargetIds);
        Assert.Equal(1, again.Delivery.Replays);
        Assert.Equal(Time.GetUtcNow(), again.Delivery.ReplayedAt);
        Assert.Equal(Start, again.Delivery.CreatedAt);
        Assert.Equal("{\"n\":1}"u8.ToArray(), again.Delivery.Payload.ToArray());
    }

    [Fact]
    public async Task ReplayAsync_Delivered_IsDeliveredAgainToAllItsTargets()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));
        await queue.CompleteAsync(lease, Done(lease.Delivery), [], CancellationToken.None);

        var replayed = await History(queue).ReplayAsync(Tenant, "d1", CancellationToken.None);

        Assert.Equal<string>(["t1", "t2"], replayed!.TargetIds);
        Assert.Equal(DeliveryStatus.Pending, replayed.Status);
        var again = Assert.Single(await LeaseAsync(queue));
        Assert.Equal<string>(["t1", "t2"], again.Delivery.TargetIds);
        Assert.Equal(0, again.Delivery.NextTarget);
    }

    [Fact]
    public async Task ReplayAsync_ReplayedTwice_CountsBothReplays()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        for (var i = 0; i < 2; i++)
        {
            var lease = Assert.Single(await LeaseAsync(queue));
            await queue.CompleteAsync(lease, Done(lease.Delivery), [], CancellationToken.None);
            await History(queue).ReplayAsync(Tenant, "d1", CancellationToken.None);
        }

        Assert.Equal(2, (await History(queue).GetAsync(Tenant, "d1", CancellationToken.None))!.Replays);
        Assert.Equal(2, Assert.Single(await LeaseAsync(queue)).Delivery.Replays);
    }

    [Fact]
    public async Task ReplayAsync_StillPending_FailsWithFailedPreconditionAndChangesNothing()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start.AddMinutes(1), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => History(queue).ReplayAsync(Tenant, "d1", CancellationToken.None).AsTask());

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        var record = await History(queue).GetAsync(Tenant, "d1", CancellationToken.None);
        Assert.Equal(0, record!.Replays);
        Assert.Equal(Start.AddMinutes(1), record.NextAttemptAt);
    }

    [Fact]
    public async Task ReplayAsync_UnknownOrAnotherTenantsDelivery_ReturnsNullAndChangesNothing()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        var lease = Assert.Single(await LeaseAsync(queue));
        await queue.DeadLetterAsync(lease, Done(lease.Delivery) with { GivenUpTargetIds = ["t1"] }, [], CancellationToken.None);

        Assert.Null(await History(queue).ReplayAsync(Tenant, "unknown", CancellationToken.None));
        Assert.Null(await History(queue).ReplayAsync(OtherTenant, "d1", CancellationToken.None));

        Assert.Equal(DeliveryStatus.DeadLettered, (await History(queue).GetAsync(Tenant, "d1", CancellationToken.None))!.Status);
        Assert.Empty(await LeaseAsync(queue));
    }

    [Fact]
    public async Task ReplayDeadLettersAsync_SinceAndTarget_ReplaysOnlyTheTenantsMatchingDeadLetters()
    {
        var queue = await CreateAsync();
        await FinishAsync(queue, Delivery("old"), givenUp: ["t1"]);
        Time.Advance(TimeSpan.FromMinutes(10));
        var since = Time.GetUtcNow();
        await FinishAsync(queue, Delivery("gave-up-t1"), givenUp: ["t1"]);
        Time.Advance(TimeSpan.FromSeconds(1));
        await FinishAsync(queue, Delivery("gave-up-t2"), givenUp: ["t2"]);
        await FinishAsync(queue, Delivery("delivered"), givenUp: []);
        await FinishAsync(queue, Delivery("other-tenant") with { TenantId = OtherTenant }, givenUp: ["t1"]);

        Assert.Equal(1, await History(queue).ReplayDeadLettersAsync(Tenant, since, "t1", CancellationToken.None));
        Assert.Equal(1, await History(queue).ReplayDeadLettersAsync(Tenant, since, null, CancellationToken.None));
        Assert.Equal(0, await History(queue).ReplayDeadLettersAsync(Tenant, since, null, CancellationToken.None));

        var pending = await History(queue).QueryAsync(Tenant, new DeliveryQuery { Status = DeliveryStatus.Pending }, CancellationToken.None);
        Assert.Equal(["gave-up-t2", "gave-up-t1"], pending.Deliveries.Select(d => d.Id));
        Assert.Equal(DeliveryStatus.DeadLettered, (await History(queue).GetAsync(Tenant, "old", CancellationToken.None))!.Status);
        Assert.Equal(DeliveryStatus.DeadLettered, (await History(queue).GetAsync(OtherTenant, "other-tenant", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task QueryAsync_Filters_MatchStatusTargetAndTimeRangeNewestFirst()
    {
        var queue = await CreateAsync();
        await FinishAsync(queue, Delivery("a", targets: ["t1"]), givenUp: []);
        Time.Advance(TimeSpan.FromSeconds(1));
        await FinishAsync(queue, Delivery("b", targets: ["t1", "t2"]), givenUp: ["t2"]);
        Time.Advance(TimeSpan.FromSeconds(1));
        await queue.EnqueueAsync(Delivery("c", targets: ["t2"]), Time.GetUtcNow().AddHours(1), CancellationToken.None);
        await queue.EnqueueAsync(Delivery("x", targets: ["t1"]) with { TenantId = OtherTenant }, Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(["c", "b", "a"], await IdsAsync(queue, new DeliveryQuery()));
        Assert.Equal(["b"], await IdsAsync(queue, new DeliveryQuery { Status = DeliveryStatus.DeadLettered }));
        Assert.Equal(["a"], await IdsAsync(queue, new DeliveryQuery { Status = DeliveryStatus.Delivered }));
        Assert.Equal(["c"], await IdsAsync(queue, new DeliveryQuery { Status = DeliveryStatus.Pending }));
        Assert.Equal(["c", "b"], await IdsAsync(queue, new DeliveryQuery { TargetId = "t2" }));
        Assert.Equal(["b"], await IdsAsync(queue, new DeliveryQuery { From = Start.AddSeconds(1), To = Start.AddSeconds(2) }));
        Assert.Equal(["c", "b"], await IdsAsync(queue, new DeliveryQuery { From = Start.AddSeconds(1) }));
        Assert.Equal(["a"], await IdsAsync(queue, new DeliveryQuery { To = Start.AddSeconds(1) }));
        Assert.Equal(["x"], (await History(queue).QueryAsync(OtherTenant, new DeliveryQuery(), CancellationToken.None)).Deliveries.Select(d => d.Id));
    }

    [Fact]
    public async Task QueryAsync_Page_SkipsAndTakesAndCountsEveryMatch()
    {
        var queue = await CreateAsync();
        for (var i = 0; i < 5; i++)
        {
            await queue.EnqueueAsync(Delivery("d" + i), Start.AddHours(1), CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await History(queue).QueryAsync(Tenant, new DeliveryQuery { Offset = 1, Limit = 2 }, CancellationToken.None);

        Assert.Equal(["d3", "d2"], page.Deliveries.Select(d => d.Id));
        Assert.Equal(5, page.TotalCount);
        Assert.All(page.Deliveries, d => Assert.Empty(d.Attempts));
        Assert.All(page.Deliveries, d => Assert.Null(d.Payload));
        var last = await History(queue).QueryAsync(Tenant, new DeliveryQuery { Offset = 4, Limit = 2 }, CancellationToken.None);
        Assert.Equal(["d0"], last.Deliveries.Select(d => d.Id));
        Assert.Empty((await History(queue).QueryAsync(Tenant, new DeliveryQuery { Offset = 5 }, CancellationToken.None)).Deliveries);
    }

    [Fact]
    public async Task QueryAsync_SameCreationTime_NewestIdFirst()
    {
        var queue = await CreateAsync();
        await queue.EnqueueAsync(Delivery("a"), Start.AddHours(1), CancellationToken.None);
        await queue.EnqueueAsync(Delivery("c"), Start.AddHours(1), CancellationToken.None);
        await queue.EnqueueAsync(Delivery("b"), Start.AddHours(1), CancellationToken.None);

        Assert.Equal(["c", "b", "a"], await IdsAsync(queue, new DeliveryQuery()));
    }

    [Fact]
    public async Task History_AnotherTenantsDelivery_IsNeverListedOrFetched()
    {
        var queue = await CreateAsync();
        await FinishAsync(queue, Delivery("d1"), givenUp: ["t1"]);

        Assert.Null(await History(queue).GetAsync(OtherTenant, "d1", CancellationToken.None));
        var page = await History(queue).QueryAsync(OtherTenant, new DeliveryQuery(), CancellationToken.None);
        Assert.Empty(page.Deliveries);
        Assert.Equal(0, page.TotalCount);
        Assert.Equal(0, await History(queue).ReplayDeadLettersAsync(OtherTenant, Start, null, CancellationToken.None));
        Assert.Equal(DeliveryStatus.DeadLettered, (await History(queue).GetAsync(Tenant, "d1", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task History_FinishedDeliveryPastTheRetention_IsPurged()
    {
        var queue = await CreateAsync(o => o.HistoryRetention = TimeSpan.FromHours(1));
        await FinishAsync(queue, Delivery("old"), givenUp: ["t1"]);
        await queue.EnqueueAsync(Delivery("waiting"), Start.AddDays(1), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(30));
        await FinishAsync(queue, Delivery("young"), givenUp: []);

        Time.Advance(TimeSpan.FromMinutes(31));

        Assert.Null(await History(queue).GetAsync(Tenant, "old", CancellationToken.None));
        Assert.Null(await History(queue).ReplayAsync(Tenant, "old", CancellationToken.None));
        Assert.Equal(["young", "waiting"], await IdsAsync(queue, new DeliveryQuery()));
        Assert.Equal(0, await History(queue).ReplayDeadLettersAsync(Tenant, Start, null, CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_DeliveryQueued_Returns()
    {
        var queue = await CreateAsync();

        var waiting = queue.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None).AsTask();
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);

        await waiting.WaitAsync(Generous);
    }

    [Fact]
    public async Task WaitAsync_NothingQueuedAndTheClockStandsStill_KeepsWaiting()
    {
        var queue = await CreateAsync();

        var waiting = queue.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None).AsTask();
        var first = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMilliseconds(300)));

        // A queue that returned at once would make its worker spin; this one waits for a delivery or its clock.
        Assert.NotSame(waiting, first);
        await queue.EnqueueAsync(Delivery("d1"), Start, CancellationToken.None);
        await waiting.WaitAsync(Generous);
    }

    [Fact]
    public async Task WaitAsync_NothingHappens_ReturnsOnceTheMaximumWaitPassedOnTheClock()
    {
        var queue = await CreateAsync();

        var waiting = queue.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        Time.Advance(TimeSpan.FromSeconds(10));

        await waiting.WaitAsync(Generous);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_ThrowsOperationCanceled()
    {
        var queue = await CreateAsync();
        using var cancel = new CancellationTokenSource();

        var waiting = queue.WaitAsync(TimeSpan.FromHours(1), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Generous));
    }

    /// <summary>
    /// A new, empty queue on <paramref name="time"/> with <paramref name="options"/>. It must also implement
    /// <see cref="IDeliveryHistory"/>, and <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>: the contract disposes it
    /// after the test.
    /// </summary>
    protected abstract Task<IDeliveryQueue> CreateQueueAsync(FakeTimeProvider time, DeliveryOptions options);

    /// <summary>A delivery of <see cref="Tenant"/> created now.</summary>
    protected BackgroundDelivery Delivery(string id, ImmutableArray<string>? targets = null) => new()
    {
        Id = id,
        TenantId = Tenant,
        Source = "event/user.human.added",
        TargetIds = targets ?? ["t1", "t2"],
        Payload = "{\"n\":1}"u8.ToArray(),
        CreatedAt = Time.GetUtcNow(),
    };

    private static IDeliveryHistory History(IDeliveryQueue queue) => Assert.IsAssignableFrom<IDeliveryHistory>(queue);

    private static BackgroundDelivery Done(BackgroundDelivery delivery) => delivery with { NextTarget = delivery.TargetIds.Length };

    private static async Task<string[]> IdsAsync(IDeliveryQueue queue, DeliveryQuery query) =>
        [.. (await History(queue).QueryAsync(Tenant, query, CancellationToken.None)).Deliveries.Select(d => d.Id)];

    private async Task<IDeliveryQueue> CreateAsync(Action<DeliveryOptions>? configure = null)
    {
        var options = new DeliveryOptions { Capacity = 100, EnqueueTimeout = TimeSpan.Zero };
        configure?.Invoke(options);
        var queue = await CreateQueueAsync(Time, options);
        _created.Add(queue);
        Assert.IsAssignableFrom<IDeliveryHistory>(queue);
        return queue;
    }

    private DeliveryAttempt Attempt(BackgroundDelivery delivery, string targetId, int attempt, DeliveryAttemptOutcome outcome, int? status = null) => new()
    {
        DeliveryId = delivery.Id,
        TenantId = delivery.TenantId,
        Source = delivery.Source,
        TargetId = targetId,
        Attempt = attempt,
        StartedAt = Time.GetUtcNow(),
        Duration = TimeSpan.FromMilliseconds(12),
        Outcome = outcome,
        StatusCode = status,
        Reason = outcome == DeliveryAttemptOutcome.Succeeded ? null : "the target answered " + status,
    };

    private Task<IReadOnlyList<DeliveryLease>> LeaseAsync(IDeliveryQueue queue) => queue.LeaseAsync(10, Lease, CancellationToken.None).AsTask();

    /// <summary>Enqueues, leases and finishes a delivery now: dead-lettered when it gave up a target, otherwise delivered.</summary>
    private async Task FinishAsync(IDeliveryQueue queue, BackgroundDelivery delivery, ImmutableArray<string> givenUp)
    {
        var now = Time.GetUtcNow();
        Assert.True(await queue.EnqueueAsync(delivery with { CreatedAt = now }, now, CancellationToken.None));
        var lease = Assert.Single(await queue.LeaseAsync(1, Lease, CancellationToken.None), l => string.Equals(l.Delivery.Id, delivery.Id, StringComparison.Ordinal));
        var finished = Done(lease.Delivery) with { GivenUpTargetIds = givenUp };
        Assert.True(givenUp.IsEmpty
            ? await queue.CompleteAsync(lease, finished, [], CancellationToken.None)
            : await queue.DeadLetterAsync(lease, finished, [], CancellationToken.None));
    }
}
