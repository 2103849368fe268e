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

    private sealed class HarnessOver : IDisposable
    {
        public HarnessOver(IActionStore store)
        {
            var permissions = Substitute.For<ActionExec.Management.IActionPermissionChecker>();
            permissions.HasPermissionAsync(default!, default!, default).ReturnsForAnyArgs(true);
            var features = Substitute.For<ActionExec.Management.IActionFeatureFlags>();
            features.IsActionsEnabledAsync(default!, default).ReturnsForAnyArgs(true);
            Engine = new ActionEngine(store, Microsoft.Extensions.Options.Options.Create(new ActionExecutionOptions()));
            Service = new ActionExec.Management.ActionManagementService(Engine, ActionExec.Catalog.ActionCatalog.Unrestricted, permissions, features, new FakeTimeProvider(TestTime.Start));
        }

        public ActionEngine Engine { get; }

        public ActionExec.Management.ActionManagementService Service { get; }

        public ActionExec.Management.ManagementCaller Caller { get; } = ActionExec.Management.ManagementCaller.ForHost(Tenant);

        public void Dispose() => Engine.Dispose();
    }
}
