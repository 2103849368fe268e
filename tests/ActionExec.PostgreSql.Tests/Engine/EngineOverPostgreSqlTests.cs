using System.Collections.Concurrent;
using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Targets;

namespace ActionExec.PostgreSql.Tests.Engine;

/// <summary>The engine and the management API over the PostgreSQL store, as replicas of one host use them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EngineOverPostgreSqlTests(PostgresServer server) : StoreInstanceTests(server)
{
    private static readonly Condition Method = Condition.RequestMethod("/pkg.v1.Service/Method");
    [Fact]
    public async Task Management_TargetsAndExecutions_AreStoredAndAFreshInstanceLoadsThemWithTheirKeys()
    {
        var first = Open();
        var created = await first.Management.CreateTargetAsync(first.Caller, Spec("audit"));
        var other = await first.Management.CreateTargetAsync(first.Caller, Spec("other"));
        await first.Management.SetExecutionAsync(first.Caller, Method, [ExecutionEntry.ForTarget(created.Target.Id), ExecutionEntry.ForTarget(other.Target.Id)]);
        await first.Management.UpdateTargetAsync(first.Caller, other.Target.Id, new TargetUpdate { Name = "renamed" });
        var rotated = await first.Management.RotateSigningKeyAsync(first.Caller, created.Target.Id);

        var fresh = Open();
        var snapshot = await fresh.HoldAsync();

        Assert.Equal(first.PublishedSequence(), snapshot.Sequence);
        Assert.Equal(["audit", "renamed"], (await fresh.Management.ListTargetsAsync(fresh.Caller)).Select(t => t.Name).Order(StringComparer.Ordinal));
        var execution = await fresh.Management.GetExecutionAsync(fresh.Caller, Method);
        Assert.Equal([created.Target.Id, other.Target.Id], execution.Entries.Select(e => e.TargetId));
        var stored = await fresh.Store.LoadAsync(StoreInstance.Tenant, CancellationToken.None);
        Assert.Equal(rotated.SigningKey, stored.Targets.Single(t => string.Equals(t.Target.Id, created.Target.Id, StringComparison.Ordinal)).SigningKey);
        Assert.Equal(other.SigningKey, stored.Targets.Single(t => string.Equals(t.Target.Id, other.Target.Id, StringComparison.Ordinal)).SigningKey);
    }

    [Fact]
    public async Task Management_ChangeOnOneInstance_IsReloadedByAnInstanceThatHoldsTheTenant()
    {
        var writer = Open();
        var reader = Open();
        await reader.HoldAsync();

        var target = await writer.Management.CreateTargetAsync(writer.Caller, Spec("audit"));
        await writer.Management.SetExecutionAsync(writer.Caller, Method, [ExecutionEntry.ForTarget(target.Target.Id)]);

        await Wait.UntilAsync(() => reader.PublishedSequence() == writer.PublishedSequence(), "the reader reloaded the writer's changes");
        var snapshot = await reader.HoldAsync();
        Assert.NotNull(snapshot.Match(ConditionKind.Request, Method.Value!));
    }

    [Fact]
    public async Task SetExecutionAsync_TwoInstancesWriteOneTenantAtOnce_EveryWriteIsCountedOnceAndBothConverge()
    {
        const int WritesPerWriter = 25;
        var first = Open();
        var second = Open();
        string[] targets = [.. await Task.WhenAll(Enumerable.Range(0, 3).Select(async i => (await first.Management.CreateTargetAsync(first.Caller, Spec("t" + i))).Target.Id))];
        await second.HoldAsync();
        var seeded = await first.Store.GetSequenceAsync(StoreInstance.Tenant, CancellationToken.None);
        Condition[] conditions = [.. Enumerable.Range(0, 6).Select(i => Condition.RequestMethod($"/pkg.v1.Svc/M{i}"))];
        var applied = 0;
        var refused = new ConcurrentBag<ActionExecErrorCode>();

        await Task.WhenAll(new[] { first, first, second, second }.Select((instance, w) => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var i = 0; i < WritesPerWriter; i++)
            {
                var entries = targets.OrderBy(_ => random.Next()).Take(random.Next(0, 4)).Select(ExecutionEntry.ForTarget).ToArray();
                try
                {
                    if ((await instance.Management.SetExecutionAsync(instance.Caller, conditions[random.Next(conditions.Length)], entries)).Changed)
                    {
                        Interlocked.Increment(ref applied);
                    }
                }
                catch (ActionExecException e) when (e.Code == ActionExecErrorCode.Aborted)
                {
                    refused.Add(e.Code);
                }
            }
        })));

        var stored = await first.Store.GetSequenceAsync(StoreInstance.Tenant, CancellationToken.None);
        Assert.Equal(seeded + (ulong)applied, stored);
        await Wait.UntilAsync(() => first.PublishedSequence() == stored && second.PublishedSequence() == stored, $"both instances reached sequence {stored}");
        var image = Describe((await first.Store.LoadAsync(StoreInstance.Tenant, CancellationToken.None)).Executions);
        Assert.Equal(image, Describe((await first.HoldAsync()).Executions));
        Assert.Equal(image, Describe((await second.HoldAsync()).Executions));
    }

    private StoreInstance Open()
    {
        return Track(StoreInstance.Create(Server, Schema));
    }

    private static TargetSpec Spec(string name) =>
        new() { Name = name, Endpoint = $"https://{name}.example.com/hook", Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(2) };

    private static string Describe(IEnumerable<Execution> executions) =>
        string.Join('\n', executions.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => $"{e.Id} [{string.Join(", ", e.Entries)}] {e.Details.Sequence}"));
}
