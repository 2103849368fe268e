using System.Collections.Concurrent;
using System.Text;
using ActionExec.Delivery;
using ActionExec.Errors;
using ActionExec.PostgreSql.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.PostgreSql.Tests.Delivery;

/// <summary>What only a shared, durable queue has to show: several instances on one table, raw rows, the purge, notifications.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlDeliveryQueueTests(PostgresServer server) : StoreInstanceTests(server)
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task LeaseAsync_SixLoopsOnTwoInstancesAtOnce_LeaseEveryDeliveryExactlyOnce()
    {
        const int Count = 300;
        var first = Open();
        var second = Open();
        var due = _time.GetUtcNow();
        for (var i = 0; i < Count; i++)
        {
            Assert.True(await first.Queue.EnqueueAsync(Delivery("d" + i), due.AddMilliseconds(-i), CancellationToken.None));
        }

        var leased = new ConcurrentBag<string>();
        using var start = new ManualResetEventSlim();
        var loops = new[] { first, first, first, second, second, second }.Select(instance => Task.Run(async () =>
        {
            start.Wait();
            while (true)
            {
                var batch = await instance.Queue.LeaseAsync(7, LongLease, CancellationToken.None);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var lease in batch)
                {
                    leased.Add(lease.Delivery.Id);
                }
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(loops);

        Assert.Equal(Count, leased.Count);
        Assert.Equal(Count, leased.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal((long)Count, await Server.ScalarAsync($"SELECT count(DISTINCT lease_id) FROM {Schema}.deliveries WHERE lease_id IS NOT NULL"));
        Assert.Empty(await second.Queue.LeaseAsync(10, LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task LeaseAsync_LeaseRanOutOnOneInstance_AnotherLeasesItWithTheCheckpointedProgressAndTheFirstIsLockedOut()
    {
        var first = Open();
        var second = Open();
        await first.Queue.EnqueueAsync(Delivery("d1", "a", "b"), _time.GetUtcNow(), CancellationToken.None);
        var lease = Assert.Single(await first.Queue.LeaseAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.True(await first.Queue.CheckpointAsync(lease, lease.Delivery with { NextTarget = 1 }, [Attempt("d1", "a", 1, DeliveryAttemptOutcome.Succeeded, 200)], CancellationToken.None));

        Assert.Empty(await second.Queue.LeaseAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(31));
        var taken = Assert.Single(await second.Queue.LeaseAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal(1, taken.Delivery.NextTarget);
        Assert.NotEqual(lease.LeaseId, taken.LeaseId);
        Assert.False(await first.Queue.ExtendLeaseAsync(lease, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.False(await first.Queue.CompleteAsync(lease, lease.Delivery with { NextTarget = 2 }, [Attempt("d1", "b", 1, DeliveryAttemptOutcome.Succeeded, 200)], CancellationToken.None));
        Assert.Equal(1L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.delivery_attempts"));
        Assert.True(await second.Queue.CompleteAsync(taken, taken.Delivery with { NextTarget = 2 }, [Attempt("d1", "b", 1, DeliveryAttemptOutcome.Succeeded, 200)], CancellationToken.None));
        var record = await second.Queue.GetAsync("tenant-1", "d1", CancellationToken.None);
        Assert.Equal(DeliveryStatus.Delivered, record!.Status);
        Assert.Equal(["a", "b"], record.Attempts.Select(a => a.TargetId));
    }

    [Fact]
    public async Task CompleteAsync_BodiesOff_KeepsNeitherResponseBodyNorPayloadInTheHistory()
    {
        var instance = Open();
        await instance.Queue.EnqueueAsync(Delivery("d1", "a"), _time.GetUtcNow(), CancellationToken.None);
        var lease = Assert.Single(await instance.Queue.LeaseAsync(1, LongLease, CancellationToken.None));

        await instance.Queue.CompleteAsync(lease, lease.Delivery with { NextTarget = 1 }, [Attempt("d1", "a", 1, DeliveryAttemptOutcome.Succeeded, 200) with { ResponseBody = "secret answer" }], CancellationToken.None);

        Assert.Equal(1L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.delivery_attempts WHERE response_body IS NULL"));
        Assert.Equal(0L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.delivery_attempts WHERE response_body IS NOT NULL"));
        var record = await instance.Queue.GetAsync("tenant-1", "d1", CancellationToken.None);
        Assert.Null(record!.Payload);
        Assert.Null(Assert.Single(record.Attempts).ResponseBody);
    }

    [Fact]
    public async Task CompleteAsync_BodiesOn_KeepsTheResponseBodyAndThePayload()
    {
        var instance = Open(recordBodies: true);
        await instance.Queue.EnqueueAsync(Delivery("d1", "a"), _time.GetUtcNow(), CancellationToken.None);
        var lease = Assert.Single(await instance.Queue.LeaseAsync(1, LongLease, CancellationToken.None));

        await instance.Queue.CompleteAsync(lease, lease.Delivery with { NextTarget = 1 }, [Attempt("d1", "a", 1, DeliveryAttemptOutcome.Succeeded, 200) with { ResponseBody = "ok" }], CancellationToken.None);

        var record = await instance.Queue.GetAsync("tenant-1", "d1", CancellationToken.None);
        Assert.Equal("""{"n":1}""", record!.Payload);
        Assert.Equal("ok", Assert.Single(record.Attempts).ResponseBody);
    }

    [Fact]
    public async Task PurgeAsync_FinishedPastRetention_DeletesThemWithTheirAttemptsAndKeepsThePending()
    {
        var instance = Open();
        foreach (var id in new[] { "delivered", "dead", "pending" })
        {
            await instance.Queue.EnqueueAsync(Delivery(id, "a"), _time.GetUtcNow(), CancellationToken.None);
        }

        var leases = (await instance.Queue.LeaseAsync(3, LongLease, CancellationToken.None)).ToDictionary(l => l.Delivery.Id, StringComparer.Ordinal);
        await instance.Queue.CompleteAsync(leases["delivered"], leases["delivered"].Delivery with { NextTarget = 1 }, [Attempt("delivered", "a", 1, DeliveryAttemptOutcome.Succeeded, 200)], CancellationToken.None);
        await instance.Queue.DeadLetterAsync(leases["dead"], leases["dead"].Delivery with { NextTarget = 1, GivenUpTargetIds = ["a"] }, [Attempt("dead", "a", 1, DeliveryAttemptOutcome.GaveUp, 500)], CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await instance.Queue.PurgeAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(1));
        var purged = await instance.Queue.PurgeAsync(CancellationToken.None);

        Assert.Equal(2, purged);
        Assert.Equal("pending", await Server.ScalarAsync($"SELECT string_agg(id, ',') FROM {Schema}.deliveries"));
        Assert.Equal(0L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.delivery_attempts"));
        Assert.Null(await instance.Queue.GetAsync("tenant-1", "delivered", CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_DeliveryQueuedOnAnotherInstance_WakesByNotification()
    {
        var worker = Open(pollInterval: TimeSpan.FromMinutes(30));
        var publisher = Open();
        await worker.Queue.WaitAsync(TimeSpan.Zero, CancellationToken.None);
        await Wait.UntilAsync(() => worker.Store.Feed.ListenCount >= 1, "the worker's instance listens");
        Assert.Empty(await worker.Queue.LeaseAsync(1, LongLease, CancellationToken.None));

        var waiting = worker.Queue.WaitAsync(TimeSpan.FromMinutes(30), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        await publisher.Queue.EnqueueAsync(Delivery("d1", "a"), _time.GetUtcNow(), CancellationToken.None);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(await worker.Queue.LeaseAsync(1, LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_ListenerKilled_ReconnectsAndWakesOnTheNextDeliveryOfAnotherInstance()
    {
        var worker = Open(pollInterval: TimeSpan.FromMinutes(30));
        var publisher = Open();
        await worker.Queue.WaitAsync(TimeSpan.Zero, CancellationToken.None);
        await Wait.UntilAsync(() => worker.Store.Feed.ListenCount >= 1, "the worker's instance listens");

        var killed = await Server.ScalarAsync("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'");
        await Wait.UntilAsync(
            () =>
            {
                _time.Advance(TimeSpan.FromMilliseconds(200));
                return worker.Store.Feed.ListenCount >= 2;
            },
            "the worker's instance listens again");
        Assert.True((long)killed! >= 1, "No listening connection was found to kill.");
        Assert.Empty(await worker.Queue.LeaseAsync(1, LongLease, CancellationToken.None));
        var waiting = worker.Queue.WaitAsync(TimeSpan.FromMinutes(30), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        await publisher.Queue.EnqueueAsync(Delivery("d1", "a"), _time.GetUtcNow(), CancellationToken.None);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(await worker.Queue.LeaseAsync(1, LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_NoMaximumAndNothingNotified_LooksAgainAfterThePollInterval()
    {
        var worker = Open(pollInterval: TimeSpan.FromMinutes(1));
        Assert.Empty(await worker.Queue.LeaseAsync(1, LongLease, CancellationToken.None));

        var waiting = worker.Queue.WaitAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask();
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromMinutes(1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitAsync_RetryScheduledByAnotherInstance_WaitsUntilItIsDue()
    {
        var worker = Open(pollInterval: TimeSpan.FromMinutes(30));
        var other = Open();
        await other.Queue.EnqueueAsync(Delivery("d1", "a"), _time.GetUtcNow(), CancellationToken.None);
        var lease = Assert.Single(await other.Queue.LeaseAsync(1, LongLease, CancellationToken.None));
        await worker.Queue.WaitAsync(TimeSpan.Zero, CancellationToken.None);
        await Wait.UntilAsync(() => worker.Store.Feed.ListenCount >= 1, "the worker's instance listens");
        Assert.Empty(await worker.Queue.LeaseAsync(1, LongLease, CancellationToken.None));
        await other.Queue.RescheduleAsync(lease, lease.Delivery with { Attempts = 1 }, _time.GetUtcNow().AddSeconds(5), [Attempt("d1", "a", 1, DeliveryAttemptOutcome.Retrying, 503)], CancellationToken.None);
        var retryAt = _time.GetUtcNow().AddSeconds(5);
        await Wait.UntilAsync(() => worker.Queue.KnownDueAt == retryAt, "the worker's instance heard of the retry");

        var waiting = worker.Queue.WaitAsync(TimeSpan.FromMinutes(30), CancellationToken.None).AsTask();
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(await worker.Queue.LeaseAsync(1, LongLease, CancellationToken.None));
    }

    [Fact]
    public async Task LeaseAsync_EveryConnectionOfTheInstanceDropped_FailsAsUnavailableAtMostOnceThenWorksAgain()
    {
        var instance = Open(applicationName: "queue-drop");
        await instance.Queue.EnqueueAsync(Delivery("d1", "a"), _time.GetUtcNow(), CancellationToken.None);
        await instance.Queue.CountAsync(CancellationToken.None);

        await Server.ScalarAsync("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'queue-drop'");

        var failures = 0;
        IReadOnlyList<DeliveryLease>? leases = null;
        for (var attempt = 0; attempt < 3 && leases is null; attempt++)
        {
            try
            {
                leases = await instance.Queue.LeaseAsync(1, LongLease, CancellationToken.None);
            }
            catch (ActionExecException e) when (e.Code == ActionExecErrorCode.Unavailable)
            {
                failures++;
            }
        }

        Assert.InRange(failures, 0, 1);
        Assert.Single(leases!);
    }

    [Fact]
    public async Task EnqueueAsync_ClosedQueue_FailsUnavailableAndCloseReturnsNothing()
    {
        var instance = Open();
        await instance.Queue.EnqueueAsync(Delivery("d1", "a"), _time.GetUtcNow(), CancellationToken.None);

        var lost = await instance.Queue.CloseAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await instance.Queue.EnqueueAsync(Delivery("d2", "a"), _time.GetUtcNow(), CancellationToken.None));

        Assert.Empty(lost);
        Assert.Equal(ActionExecErrorCode.Unavailable, error.Code);
        Assert.Equal(1L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.deliveries"));
    }

    [Fact]
    public async Task CompleteAsync_CallsWhileAFlushIsInFlight_GoInOneStatementAndEachCallerLearnsItsOwnLease()
    {
        var first = Open();
        var second = Open();
        await first.Queue.EnqueueAsync(Delivery("lost", "a", "b"), _time.GetUtcNow(), CancellationToken.None);

        // "lost" ran out on the first instance and the second took it.
        var stale = Assert.Single(await first.Queue.LeaseAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("lost", Assert.Single(await second.Queue.LeaseAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None)).Delivery.Id);
        foreach (var id in new[] { "d1", "d2", "d3", "d4", "d5" })
        {
            await first.Queue.EnqueueAsync(Delivery(id, "a", "b"), _time.GetUtcNow(), CancellationToken.None);
        }

        var leases = (await first.Queue.LeaseAsync(10, TimeSpan.FromSeconds(30), CancellationToken.None)).ToDictionary(l => l.Delivery.Id, StringComparer.Ordinal);
        Assert.Equal(5, leases.Count);
        var flushes = first.Queue.FlushCount;

        // A row lock holds the first flush in flight; everything called meanwhile waits for the next one.
        await using var blocker = await Server.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand($"SELECT 1 FROM {Schema}.deliveries WHERE id = 'd1' FOR UPDATE", blocker, transaction))
        {
            await lockRow.ExecuteScalarAsync();
        }

        var done = Finished(leases["d1"]);
        var d1 = first.Queue.CompleteAsync(leases["d1"], done, [Attempt("d1", "b", 1, DeliveryAttemptOutcome.Succeeded, 200)], CancellationToken.None).AsTask();
        await WaitUntilAsync(() => first.Queue.FlushCount == flushes + 1);
        var d2 = first.Queue.CompleteAsync(leases["d2"], Finished(leases["d2"]), [Attempt("d2", "b", 1, DeliveryAttemptOutcome.Succeeded, 200)], CancellationToken.None).AsTask();
        var d3 = first.Queue.DeadLetterAsync(
            leases["d3"],
            Finished(leases["d3"]) with { GivenUpTargetIds = ["b"] },
            [Attempt("d3", "b", 1, DeliveryAttemptOutcome.GaveUp, 410)],
            CancellationToken.None).AsTask();
        var retryAt = _time.GetUtcNow().AddMinutes(5);
        var d4 = first.Queue.RescheduleAsync(
            leases["d4"],
            leases["d4"].Delivery with { NextTarget = 1, Attempts = 1, LastStatusCode = 503, LastReason = "the target answered 503" },
            retryAt,
            [Attempt("d4", "a", 1, DeliveryAttemptOutcome.Succeeded, 200), Attempt("d4", "b", 1, DeliveryAttemptOutcome.Retrying, 503)],
            CancellationToken.None).AsTask();
        var lost = first.Queue.CompleteAsync(stale, Finished(stale), [Attempt("lost", "b", 1, DeliveryAttemptOutcome.Succeeded, 200)], CancellationToken.None).AsTask();
        await Task.Delay(100);
        Assert.False(d1.IsCompleted);
        Assert.Equal(flushes + 1, first.Queue.FlushCount);
        await transaction.CommitAsync();

        var answers = await Task.WhenAll(d1, d2, d3, d4, lost);
        Assert.Equal([true, true, true, true, false], answers);
        Assert.Equal(flushes + 2, first.Queue.FlushCount);
        Assert.Equal(DeliveryStatus.Delivered, (await first.Queue.GetAsync("tenant-1", "d1", CancellationToken.None))!.Status);
        Assert.Equal(DeliveryStatus.Delivered, (await first.Queue.GetAsync("tenant-1", "d2", CancellationToken.None))!.Status);
        var deadLetter = (await first.Queue.GetAsync("tenant-1", "d3", CancellationToken.None))!;
        Assert.Equal(DeliveryStatus.DeadLettered, deadLetter.Status);
        Assert.Equal("b", Assert.Single(deadLetter.GivenUpTargetIds));
        var retry = (await first.Queue.GetAsync("tenant-1", "d4", CancellationToken.None))!;
        Assert.Equal(DeliveryStatus.Pending, retry.Status);
        Assert.Equal(retryAt, retry.NextAttemptAt);
        Assert.Equal([("a", DeliveryAttemptOutcome.Succeeded), ("b", DeliveryAttemptOutcome.Retrying)], retry.Attempts.Select(a => (a.TargetId, a.Outcome)));
        Assert.Equal(DeliveryStatus.Pending, (await first.Queue.GetAsync("tenant-1", "d5", CancellationToken.None))!.Status);
        Assert.Empty((await first.Queue.GetAsync("tenant-1", "lost", CancellationToken.None))!.Attempts);
        Assert.Equal(5L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.delivery_attempts"));
    }

    [Fact]
    public async Task LeaseAsync_OneStatement_KnowsWhenTheNextDeliveryItDidNotTakeIsDue()
    {
        var instance = Open();
        var now = _time.GetUtcNow();
        await instance.Queue.EnqueueAsync(Delivery("now"), now, CancellationToken.None);
        await instance.Queue.EnqueueAsync(Delivery("later"), now.AddMinutes(2), CancellationToken.None);

        Assert.Equal("now", Assert.Single(await instance.Queue.LeaseAsync(5, TimeSpan.FromMinutes(10), CancellationToken.None)).Delivery.Id);
        Assert.Equal(now.AddMinutes(2), instance.Queue.KnownDueAt);
        Assert.Empty(await instance.Queue.LeaseAsync(5, TimeSpan.FromMinutes(10), CancellationToken.None));
        Assert.Equal(now.AddMinutes(2), instance.Queue.KnownDueAt);
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal("later", Assert.Single(await instance.Queue.LeaseAsync(5, TimeSpan.FromMinutes(10), CancellationToken.None)).Delivery.Id);

        // Only the leases remain: the earliest of them is when something is due again.
        Assert.Equal(now.AddMinutes(10), instance.Queue.KnownDueAt);
    }

    [Fact]
    public async Task EnqueueAsync_IdOfAFinishedDeliveryPastRetention_QueuesItAgainButNotAPendingOne()
    {
        var instance = Open();
        var now = _time.GetUtcNow();
        Assert.True(await instance.Queue.EnqueueAsync(Delivery("d1"), now, CancellationToken.None));
        Assert.False(await instance.Queue.EnqueueAsync(Delivery("d1"), now, CancellationToken.None));
        var lease = Assert.Single(await instance.Queue.LeaseAsync(1, LongLease, CancellationToken.None));
        Assert.True(await instance.Queue.CompleteAsync(lease, Finished(lease), [Attempt("d1", "a", 1, DeliveryAttemptOutcome.Succeeded, 200)], CancellationToken.None));
        Assert.False(await instance.Queue.EnqueueAsync(Delivery("d1"), now, CancellationToken.None));

        _time.Advance(TimeSpan.FromDays(8));
        Assert.True(await instance.Queue.EnqueueAsync(Delivery("d1"), _time.GetUtcNow(), CancellationToken.None));
        Assert.Equal(1L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.deliveries"));
        Assert.Equal(0L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.delivery_attempts"));
    }

    private static BackgroundDelivery Finished(DeliveryLease lease) => lease.Delivery with { NextTarget = lease.Delivery.TargetIds.Length };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(5);
        }
    }

    private StoreInstance Open(bool recordBodies = false, TimeSpan? pollInterval = null, string applicationName = "actionexec-tests") =>
        Track(StoreInstance.Create(
            Server,
            Schema,
            o => o.PollInterval = pollInterval ?? o.PollInterval,
            applicationName: applicationName,
            services: s =>
            {
                s.AddSingleton<TimeProvider>(_time);
                s.Configure<DeliveryOptions>(o => o.RecordBodies = recordBodies);
            }));

    private BackgroundDelivery Delivery(string id, params string[] targets) => new()
    {
        Id = id,
        TenantId = "tenant-1",
        Source = "event/user.human.added",
        TargetIds = targets.Length == 0 ? ["a"] : [.. targets],
        Payload = Encoding.UTF8.GetBytes("""{"n":1}"""),
        CreatedAt = _time.GetUtcNow(),
    };

    private DeliveryAttempt Attempt(string deliveryId, string targetId, int attempt, DeliveryAttemptOutcome outcome, int status) => new()
    {
        DeliveryId = deliveryId,
        TenantId = "tenant-1",
        Source = "event/user.human.added",
        TargetId = targetId,
        Attempt = attempt,
        StartedAt = _time.GetUtcNow(),
        Duration = TimeSpan.FromMilliseconds(12),
        Outcome = outcome,
        StatusCode = status,
        Reason = outcome == DeliveryAttemptOutcome.Succeeded ? null : "the target answered " + status,
    };
}
