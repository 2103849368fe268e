using ActionExec.Conditions;
using ActionExec.Engine;
using ActionExec.Storage;
using ActionExec.Tests.Support;
using Microsoft.Extensions.Primitives;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using static ActionExec.Tests.Support.ManagementHarness;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Engine;

public sealed class ActionEngineTests
{
    private static readonly Condition Method = Condition.RequestMethod("/pkg.v1.Service/Method");

    [Fact]
    public async Task SetExecution_IsVisibleToTheVeryNextLookup()
    {
        using var h = new ManagementHarness();
        var target = await h.CreateTargetAsync("t");

        for (var i = 0; i < 50; i++)
        {
            await h.SetAsync(Method, i % 2 == 0 ? [T(target)] : []);

            Assert.True(h.Engine.TryGetSnapshot(Tenant, out var snapshot));
            Assert.Equal(i % 2 == 0, snapshot.Match(ConditionKind.Request, Method.Value!) is not null);
        }
    }

    [Fact]
    public async Task GetSnapshot_UnknownTenant_IsEmptyAtSequenceZero()
    {
        using var h = new ManagementHarness();

        var snapshot = await h.Engine.GetSnapshotAsync("nobody");

        Assert.Equal(0UL, snapshot.Sequence);
        Assert.Equal(0, snapshot.ExecutionCount);
        Assert.Null(snapshot.Match(ConditionKind.Request, "/a/b"));
    }

    [Fact]
    public async Task TwoEngines_SharingAStore_SeeEachOthersChanges()
    {
        var store = new InMemoryActionStore();
        using var a = new ManagementHarness(store: store);
        using var b = new ManagementHarness(store: store);
        Assert.Null((await b.SnapshotAsync()).Match(ConditionKind.Request, Method.Value!));

        var target = await a.CreateTargetAsync("t");
        await a.SetAsync(Method, T(target));

        var seen = await WaitUntilAsync(() => b.Engine.TryGetSnapshot(Tenant, out var s) && s.Match(ConditionKind.Request, Method.Value!) is not null);
        Assert.True(seen, "The second engine never reloaded the change made through the first.");
        Assert.Equal(2UL, (await b.SnapshotAsync()).Sequence);
    }

    [Fact]
    public async Task Write_ThatLosesARaceWithAnotherInstance_ReloadsAndRetries()
    {
        var shared = new InMemoryActionStore();
        var silent = new SilentStore(shared);
        using var a = new ManagementHarness(store: shared);
        using var b = new HarnessOver(silent);
        await b.Engine.GetSnapshotAsync(Tenant);

        var fromA = await a.CreateTargetAsync("from-a");
        var fromB = await b.Service.CreateTargetAsync(b.Caller, new() { Name = "from-b", Endpoint = "https://b.example.com", Type = ActionExec.Targets.TargetType.Webhook, Timeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(2UL, fromB.Target.Sequence);
        var state = await shared.LoadAsync(Tenant, default);
        Assert.Equal(2UL, state.Sequence);
        Assert.Equal(["from-a", "from-b"], state.Targets.Select(t => t.Target.Name).Order(StringComparer.Ordinal));
        Assert.True((await b.Engine.GetSnapshotAsync(Tenant)).TryGetTarget(fromA, out _));
    }

    [Fact]
    public async Task Write_WhenTheStoreThrows_LeavesTheSnapshotAsItWas()
    {
        var inner = new InMemoryActionStore();
        var store = Substitute.For<IActionStore>();
        store.LoadAsync(default!, default).ReturnsForAnyArgs(c => inner.LoadAsync(c.Arg<string>(), default));
        store.GetSequenceAsync(default!, default).ReturnsForAnyArgs(c => inner.GetSequenceAsync(c.Arg<string>(), default));
        store.Watch(default!).ReturnsForAnyArgs(NeverChangeToken.Instance);
        store.CommitAsync(default!, default).ThrowsAsyncForAnyArgs(new IOException("disk full"));
        using var h = new HarnessOver(store);
        var before = await h.Engine.GetSnapshotAsync(Tenant);

        await Assert.ThrowsAsync<IOException>(() => h.Service.CreateTargetAsync(h.Caller, new() { Name = "t", Endpoint = "https://t.example.com", Type = ActionExec.Targets.TargetType.Webhook, Timeout = TimeSpan.FromSeconds(1) }).AsTask());

        var after = await h.Engine.GetSnapshotAsync(Tenant);
        Assert.Same(before, after);
        Assert.Equal(0, after.TargetCount);
    }

    [Fact]
    public async Task Lookups_DuringThousandsOfWrites_AlwaysSeeAWholePublishedSnapshot()
    {
        using var h = new ManagementHarness();
        var targets = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            targets.Add(await h.CreateTargetAsync("t" + i));
        }

        var service = Condition.RequestService("pkg.v1.Service");
        var expected = new System.Collections.Concurrent.ConcurrentDictionary<ulong, string>();
        var model = new Dictionary<Condition, string[]>();
        expected[(await h.SnapshotAsync()).Sequence] = Answer(model);

        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var checkedSequences = new System.Collections.Concurrent.ConcurrentDictionary<ulong, bool>();
        long observed = 0;
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            ulong last = 0;
            var reads = 0;
            while (!stop.IsCancellationRequested || reads < 1000)
            {
                reads++;
                if (!h.Engine.TryGetSnapshot(Tenant, out var snapshot))
                {
                    continue;
                }

                var match = snapshot.Match(ConditionKind.Request, Method.Value!);
                var answer = match is null ? "none" : match.Condition.Id + ":" + string.Join(",", match.Targets.Select(t => t.Name));
                if (snapshot.Sequence < last)
                {
                    failures.Enqueue($"sequence went back from {last} to {snapshot.Sequence}");
                }

                last = snapshot.Sequence;
                InterlockedMax(ref observed, (long)last);
                if (expected.TryGetValue(snapshot.Sequence, out var want))
                {
                    checkedSequences[snapshot.Sequence] = true;
                    if (!string.Equals(want, answer, StringComparison.Ordinal))
                    {
                        failures.Enqueue($"at sequence {snapshot.Sequence} saw '{answer}', expected '{want}'");
                    }
                }
            }
        })).ToArray();

        var random = new Random(12345);
        for (var i = 0; i < 2000; i++)
        {
            var condition = random.Next(3) switch { 0 => Method, 1 => service, _ => Condition.AllRequests };
            var entries = targets.OrderBy(_ => random.Next()).Take(random.Next(0, 4)).ToArray();

            // Record the answer of the next sequence before it is published, so readers can always check it.
            var next = new Dictionary<Condition, string[]>(model);
            if (entries.Length == 0)
            {
                next.Remove(condition);
            }
            else
            {
                next[condition] = entries;
            }

            var current = (await h.SnapshotAsync()).Sequence;
            expected[current + 1] = Answer(next);
            var result = await h.SetAsync(condition, [.. entries.Select(T)]);
            if (result.Changed)
            {
                model = next;
            }

            // Every few writes, let the readers catch up, so that they really interleave with the writer on any machine.
            if (i % 20 == 0)
            {
                var published = (long)result.Details.Sequence;
                SpinWait.SpinUntil(() => Interlocked.Read(ref observed) >= published, TimeSpan.FromSeconds(10));
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Empty(failures);

        // The readers must really have raced the writer: many published versions seen and checked.
        Assert.True(checkedSequences.Count > 50, $"Readers checked only {checkedSequences.Count} versions.");

        string Answer(Dictionary<Condition, string[]> m)
        {
            foreach (var c in new[] { Method, service, Condition.AllRequests })
            {
                if (m.TryGetValue(c, out var ids))
                {
                    return c.Id + ":" + string.Join(",", ids.Select(id => "t" + targets.IndexOf(id)));
                }
            }

            return "none";
        }
    }

    [Fact]
    public async Task SweepIdleTenants_TenantUnusedForTheIdleTimeout_IsEvictedWithItsWatchDisposed()
    {
        var store = new WatchCountingStore(new InMemoryActionStore());
        var time = new FakeTimeProvider(TestTime.Start);
        using var engine = Engine(store, time);
        await engine.GetSnapshotAsync(Tenant);
        Assert.Equal(1, store.LiveWatches);

        // Never before the idle time: the sweep after the load only sees it used.
        Advance(time, IdleTimeout);
        Assert.Equal(1, engine.LoadedTenantCount);

        Advance(time, SweepInterval);

        Assert.Equal(0, engine.LoadedTenantCount);
        Assert.False(engine.TryGetSnapshot(Tenant, out _));
        Assert.Equal(0, store.LiveWatches);
    }

    [Fact]
    public async Task SweepIdleTenants_TenantUsedByLookupsAndWrites_StaysLoaded()
    {
        var store = new WatchCountingStore(new InMemoryActionStore());
        var time = new FakeTimeProvider(TestTime.Start);
        using var engine = Engine(store, time);
        using var h = new HarnessOver(engine);
        await engine.GetSnapshotAsync(Tenant);

        for (var i = 0; i < 12; i++)
        {
            if (i % 2 == 0)
            {
                Assert.True(engine.TryGetSnapshot(Tenant, out _));
            }
            else
            {
                await h.Service.CreateTargetAsync(h.Caller, new() { Name = "t" + i, Endpoint = "https://t.example.com", Type = ActionExec.Targets.TargetType.Webhook, Timeout = TimeSpan.FromSeconds(1) });
            }

            Advance(time, IdleTimeout / 2);
        }

        Assert.Equal(1, engine.LoadedTenantCount);
        Assert.Equal(1, store.Loads);
        Assert.Equal(1, store.LiveWatches);
    }

    [Fact]
    public async Task GetSnapshot_AfterEviction_LoadsTheTenantAgainAndHearsOfItsChanges()
    {
        var shared = new InMemoryActionStore();
        var store = new WatchCountingStore(shared);
        var time = new FakeTimeProvider(TestTime.Start);
        using var engine = Engine(store, time);
        using var other = new ManagementHarness(store: shared);
        await other.CreateTargetAsync("before");
        await engine.GetSnapshotAsync(Tenant);
        Advance(time, IdleTimeout + SweepInterval);
        Assert.False(engine.TryGetSnapshot(Tenant, out _));

        var reloaded = await engine.GetSnapshotAsync(Tenant);
        Assert.Equal(2, store.Loads);
        Assert.Equal(1UL, reloaded.Sequence);
        Assert.Equal(1, store.LiveWatches);

        await other.CreateTargetAsync("after");

        Assert.True(await WaitUntilAsync(() => engine.TryGetSnapshot(Tenant, out var s) && s.Sequence == 2), "The reloaded tenant did not hear of a change made after it was loaded again.");
    }

    [Fact]
    public async Task SweepIdleTenants_TenantBeingWritten_IsNotEvictedAndTheWriteLands()
    {
        var store = new WatchCountingStore(new InMemoryActionStore());
        var time = new FakeTimeProvider(TestTime.Start);
        using var engine = Engine(store, time);
        using var h = new HarnessOver(engine);
        await engine.GetSnapshotAsync(Tenant);
        var commit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BeforeCommit = commit.Task;

        var write = h.Service.CreateTargetAsync(h.Caller, new() { Name = "slow", Endpoint = "https://t.example.com", Type = ActionExec.Targets.TargetType.Webhook, Timeout = TimeSpan.FromSeconds(1) }).AsTask();
        for (var i = 0; i < 8; i++)
        {
            Advance(time, SweepInterval);
        }

        Assert.Equal(1, engine.LoadedTenantCount);
        commit.SetResult();
        var created = await write;
        Assert.True(engine.TryGetSnapshot(Tenant, out var snapshot));
        Assert.True(snapshot.TryGetTarget(created.Target.Id, out _));
    }

    [Fact]
    public async Task SweepIdleTenants_InfiniteIdleTimeout_KeepsEveryTenant()
    {
        var store = new WatchCountingStore(new InMemoryActionStore());
        var time = new FakeTimeProvider(TestTime.Start);
        using var engine = Engine(store, time, Timeout.InfiniteTimeSpan);
        await engine.GetSnapshotAsync(Tenant);

        time.Advance(TimeSpan.FromDays(3));

        Assert.Equal(0, engine.SweepIdleTenants());
        Assert.True(engine.TryGetSnapshot(Tenant, out _));
        Assert.Equal(1, store.LiveWatches);
    }

    [Fact]
    public async Task TryGetSnapshot_AfterTheTenantIsLoaded_AllocatesNothing()
    {
        using var engine = Engine(new WatchCountingStore(new InMemoryActionStore()), new FakeTimeProvider(TestTime.Start));
        await engine.GetSnapshotAsync(Tenant);
        Assert.True(engine.TryGetSnapshot(Tenant, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            engine.TryGetSnapshot(Tenant, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(1);

    /// <summary>A quarter of the idle time: how often the engine sweeps.</summary>
    private static readonly TimeSpan SweepInterval = IdleTimeout / 4;

    private static ActionEngine Engine(IActionStore store, TimeProvider time, TimeSpan? idleTimeout = null) =>
        new(store, Microsoft.Extensions.Options.Options.Create(new ActionExecutionOptions { TenantIdleTimeout = idleTimeout ?? IdleTimeout }), time);

    /// <summary>Moves the clock one sweep at a time, so every sweep in between runs.</summary>
    private static void Advance(FakeTimeProvider time, TimeSpan by)
    {
        for (var left = by; left > TimeSpan.Zero; left -= SweepInterval)
        {
            time.Advance(left < SweepInterval ? left : SweepInterval);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var current = Interlocked.Read(ref target); value > current; current = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        return condition();
    }

    /// <summary>A store that never notifies, as a database without change notifications would behave.</summary>
    private sealed class SilentStore(IActionStore inner) : IActionStore
    {
        public ValueTask<TenantState> LoadAsync(string tenantId, CancellationToken cancellationToken) => inner.LoadAsync(tenantId, cancellationToken);

        public ValueTask<ulong> GetSequenceAsync(string tenantId, CancellationToken cancellationToken) => inner.GetSequenceAsync(tenantId, cancellationToken);

        public ValueTask CommitAsync(TenantChange change, CancellationToken cancellationToken) => inner.CommitAsync(change, cancellationToken);

        public IChangeToken Watch(string tenantId) => NeverChangeToken.Instance;
    }

    /// <summary>A store that counts loads and the watches registered and not yet disposed, and can hold a commit back.</summary>
    private sealed class WatchCountingStore(IActionStore inner) : IActionStore
    {
        private int _loads;
        private int _liveWatches;

        public int Loads => Volatile.Read(ref _loads);

        public int LiveWatches => Volatile.Read(ref _liveWatches);

        public Task? BeforeCommit { get; set; }

        public ValueTask<TenantState> LoadAsync(string tenantId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _loads);
            return inner.LoadAsync(tenantId, cancellationToken);
        }

        public ValueTask<ulong> GetSequenceAsync(string tenantId, CancellationToken cancellationToken) => inner.GetSequenceAsync(tenantId, cancellationToken);

        public async ValueTask CommitAsync(TenantChange change, CancellationToken cancellationToken)
        {
            if (BeforeCommit is { } wait)
            {
                await wait;
            }

            await inner.CommitAsync(change, cancellationToken);
        }

        public IChangeToken Watch(string tenantId) => new CountedToken(this, inner.Watch(tenantId));

        private sealed class CountedToken(WatchCountingStore store, IChangeToken inner) : IChangeToken
        {
            public bool HasChanged => inner.HasChanged;

            public bool ActiveChangeCallbacks => inner.ActiveChangeCallbacks;

            public IDisposable RegisterChangeCallback(Action<object?> callback, object? state)
            {
                // A callback that has run is spent: the engine registers again on a fresh token.
                var live = 1;
                Interlocked.Increment(ref store._liveWatches);
                var registration = inner.RegisterChangeCallback(
                    s =>
                    {
                        if (Interlocked.Exchange(ref live, 0) == 1)
                        {
                            Interlocked.Decrement(ref store._liveWatches);
                        }

                        callback(s);
                    },
                    state);
                return new Unregister(() =>
                {
                    registration.Dispose();
                    if (Interlocked.Exchange(ref live, 0) == 1)
                    {
                        Interlocked.Decrement(ref store._liveWatches);
                    }
                });
            }
        }

        private sealed class Unregister(Action dispose) : IDisposable
        {
            public void Dispose() => dispose();
        }
    }

    private sealed class HarnessOver : IDisposable
    {
        private readonly bool _ownsEngine;

        public HarnessOver(ActionEngine engine)
            : this(engine, ownsEngine: false)
        {
        }

        public HarnessOver(IActionStore store)
            : this(new ActionEngine(store, Microsoft.Extensions.Options.Options.Create(new ActionExecutionOptions())), ownsEngine: true)
        {
        }

        private HarnessOver(ActionEngine engine, bool ownsEngine)
        {
            var permissions = Substitute.For<ActionExec.Management.IActionPermissionChecker>();
            permissions.HasPermissionAsync(default!, default!, default).ReturnsForAnyArgs(true);
            var features = Substitute.For<ActionExec.Management.IActionFeatureFlags>();
            features.IsActionsEnabledAsync(default!, default).ReturnsForAnyArgs(true);
            _ownsEngine = ownsEngine;
            Engine = engine;
            Service = new ActionExec.Management.ActionManagementService(Engine, ActionExec.Catalog.ActionCatalog.Unrestricted, permissions, features, new FakeTimeProvider(TestTime.Start));
        }

        public ActionEngine Engine { get; }

        public ActionExec.Management.ActionManagementService Service { get; }

        public ActionExec.Management.ManagementCaller Caller { get; } = ActionExec.Management.ManagementCaller.ForHost(Tenant);

        public void Dispose()
        {
            if (_ownsEngine)
            {
                Engine.Dispose();
            }
        }
    }
}
