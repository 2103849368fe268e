using System.Diagnostics;
using System.Globalization;
using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace ActionExec.PostgreSql.Tests.Storage;

/// <summary>A change made on one instance reaches another: pushed by NOTIFY, and by polling when the listener is gone.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ChangePropagationTests(PostgresServer server, ITestOutputHelper output) : StoreInstanceTests(server)
{
    private const int Changes = 50;

    /// <summary>What a loaded 2-core machine may add to the poll bound: the reload itself, and being scheduled at all.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);
    private static readonly Condition Method = Condition.RequestMethod("/pkg.v1.Service/Method");
    [Fact]
    public async Task Change_OnInstanceA_IsVisibleOnInstanceB_WellWithinThePollInterval()
    {
        var a = Open(TimeSpan.FromSeconds(5));
        var b = Open(TimeSpan.FromSeconds(5));
        var target = await a.Management.CreateTargetAsync(a.Caller, Spec("t"));
        await b.HoldAsync();
        await Wait.UntilAsync(() => b.Store.Feed.ListenCount >= 1, "B listens");
        var latencies = new List<TimeSpan>(Changes);

        // The first few changes also pay for compiling the reload path; they are not what is measured.
        for (var i = -3; i < Changes; i++)
        {
            ExecutionEntry[] entries = (i & 1) == 0 ? [ExecutionEntry.ForTarget(target.Target.Id)] : [];
            await a.Management.SetExecutionAsync(a.Caller, Method, entries);
            var committed = a.PublishedSequence();
            var clock = Stopwatch.StartNew();
            await Wait.UntilAsync(() => b.PublishedSequence() >= committed, $"B reached sequence {committed}");
            if (i >= 0)
            {
                latencies.Add(clock.Elapsed);
            }
        }

        latencies.Sort();
        var p50 = latencies[(Changes / 2) - 1];
        var p99 = latencies[(int)Math.Ceiling(Changes * 0.99) - 1];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Visibility on B of {Changes} changes made on A: p50 {p50.TotalMilliseconds:F1} ms, p99 {p99.TotalMilliseconds:F1} ms, max {latencies[^1].TotalMilliseconds:F1} ms."));
        Assert.True(p99 < TimeSpan.FromSeconds(2), $"p99 {p99} is not what NOTIFY delivers: the changes waited for the 5 s poll.");
    }

    [Fact]
    public async Task Change_WithBsListenerKilled_ReachesBWithinThePollBoundAndBListensAgain()
    {
        var poll = TimeSpan.FromMilliseconds(300);
        var a = Open(poll);
        var b = Open(poll);
        var target = await a.Management.CreateTargetAsync(a.Caller, Spec("t"));
        await b.HoldAsync();
        await Wait.UntilAsync(() => b.Store.Feed.ListenCount >= 1, "B listens");

        var killed = await Server.ScalarAsync("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'");
        await a.Management.SetExecutionAsync(a.Caller, Method, [ExecutionEntry.ForTarget(target.Target.Id)]);
        var committed = a.PublishedSequence();
        var converged = await Wait.UntilAsync(() => b.PublishedSequence() >= committed, $"B reached sequence {committed} without its listener");

        Assert.True((long)killed! >= 1, "No listening connection was found to kill.");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"B converged {converged.TotalMilliseconds:F0} ms after the change, its listener killed; poll interval {poll.TotalMilliseconds:F0} ms."));
        Assert.True(converged < poll + Slack, $"B took {converged} to converge; the poll bound is {poll}.");

        await Wait.UntilAsync(() => b.Store.Feed.ListenCount >= 2, "B listens again");
        await a.Management.SetExecutionAsync(a.Caller, Method, []);
        var next = a.PublishedSequence();
        await Wait.UntilAsync(() => b.PublishedSequence() >= next, $"B reached sequence {next} after reconnecting");
    }

    [Fact]
    public async Task Poll_AnInstanceThatMissedEveryNotification_StillConverges()
    {
        var poll = TimeSpan.FromMilliseconds(200);
        var b = Open(poll);
        await b.HoldAsync();

        // A writer that never notifies: a change made by hand, as if its notification were lost.
        await Server.ScalarAsync($"INSERT INTO {Schema}.tenants (tenant_id, sequence, change_date) VALUES ('{StoreInstance.Tenant}', 1, now())");

        var converged = await Wait.UntilAsync(() => b.PublishedSequence() == 1, "B polled the sequence");
        Assert.True(converged < poll + Slack, $"B took {converged} to converge; the poll bound is {poll}.");
    }

    [Fact]
    public async Task IdleTenant_EvictedByTheEngine_IsNoLongerFollowedAndIsFollowedAgainOnItsNextUse()
    {
        var idle = TimeSpan.FromMinutes(1);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var a = Track(StoreInstance.Create(Server, Schema, services: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.Configure<ActionExecutionOptions>(o => o.TenantIdleTimeout = idle);
        }));
        var b = Open(TimeSpan.FromSeconds(5));
        await a.HoldAsync();
        Assert.True(a.Store.Feed.Follows(StoreInstance.Tenant));

        // One sweep sees the load as a use; the tenant goes after a whole idle time without another.
        for (var elapsed = TimeSpan.Zero; elapsed <= idle; elapsed += idle / 4)
        {
            time.Advance(idle / 4);
        }

        Assert.False(a.Engine.TryGetSnapshot(StoreInstance.Tenant, out _));
        Assert.False(a.Store.Feed.Follows(StoreInstance.Tenant));

        // A change A no longer holds is not polled for: there is nothing of it to reload.
        await b.Management.CreateTargetAsync(b.Caller, Spec("made-while-evicted"));
        Assert.Equal(0, await a.Store.Feed.PollAsync(CancellationToken.None));
        var reloaded = await a.HoldAsync();
        Assert.Equal(b.PublishedSequence(), reloaded.Sequence);
        Assert.True(a.Store.Feed.Follows(StoreInstance.Tenant));

        await b.Management.CreateTargetAsync(b.Caller, Spec("made-after-the-reload"));
        var next = b.PublishedSequence();
        await Wait.UntilAsync(() => a.PublishedSequence() == next, $"A reached sequence {next} again");
    }

    private StoreInstance Open(TimeSpan pollInterval)
    {
        return Track(StoreInstance.Create(Server, Schema, o => o.PollInterval = pollInterval));
    }

    private static TargetSpec Spec(string name) =>
        new() { Name = name, Endpoint = $"https://{name}.example.com/hook", Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(2) };
}
