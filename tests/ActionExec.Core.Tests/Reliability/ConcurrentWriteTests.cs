using System.Collections.Concurrent;
using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Storage;
using ActionExec.Tests.Delivery;
using ActionExec.Tests.Support;

namespace ActionExec.Tests.Reliability;

/// <summary>
/// Two host instances sharing one store and writing one tenant at once: every write is applied exactly once or refused with
/// <see cref="ActionExecErrorCode.Aborted"/>, none is lost, and both instances end up with what the store holds.
/// </summary>
public sealed class ConcurrentWriteTests
{
    private const int WritesPerWriter = 60;

    [Fact]
    public async Task SetExecutionAsync_TwoInstancesWriteOneTenantAtOnce_EveryWriteIsCountedOnceAndBothConvergeOnTheStore()
    {
        var store = new InMemoryActionStore();
        using var first = new ManagementHarness(store: store);
        using var second = new ManagementHarness(store: store);
        string[] targets = [await first.CreateTargetAsync("t1"), await first.CreateTargetAsync("t2"), await first.CreateTargetAsync("t3")];
        await second.SnapshotAsync();
        var seeded = await store.GetSequenceAsync(ManagementHarness.Tenant, CancellationToken.None);
        Condition[] conditions = [.. Enumerable.Range(0, 6).Select(i => Condition.RequestMethod($"/pkg.v1.Svc/M{i}"))];
        var applied = 0;
        var refused = new ConcurrentBag<string>();

        var writers = new[] { first, first, second, second }.Select((h, w) => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var i = 0; i < WritesPerWriter; i++)
            {
                var entries = targets.OrderBy(_ => random.Next()).Take(random.Next(0, 4)).Select(ExecutionEntry.ForTarget).ToArray();
                try
                {
                    var result = await h.Service.SetExecutionAsync(h.Caller, conditions[random.Next(conditions.Length)], entries);
                    if (result.Changed)
                    {
                        Interlocked.Increment(ref applied);
                    }
                }
                catch (ActionExecException e) when (e.Code == ActionExecErrorCode.Aborted)
                {
                    refused.Add(e.Message);
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);

        var stored = await store.GetSequenceAsync(ManagementHarness.Tenant, CancellationToken.None);
        Assert.Equal(seeded + (ulong)applied, stored);
        await Eventually.WaitUntilAsync(
            () => first.Engine.TryGetSnapshot(ManagementHarness.Tenant, out var a) && a.Sequence == stored
                && second.Engine.TryGetSnapshot(ManagementHarness.Tenant, out var b) && b.Sequence == stored,
            $"both instances reached sequence {stored}");
        var image = Describe((await store.LoadAsync(ManagementHarness.Tenant, CancellationToken.None)).Executions);
        Assert.Equal(image, Describe((await first.SnapshotAsync()).Executions));
        Assert.Equal(image, Describe((await second.SnapshotAsync()).Executions));
        Assert.All(refused, m => Assert.StartsWith($"The tenant '{ManagementHarness.Tenant}' was changed concurrently", m, StringComparison.Ordinal));
    }

    private static string Describe(IEnumerable<Execution> executions) =>
        string.Join('\n', executions.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => $"{e.Id} [{string.Join(", ", e.Entries)}] {e.Details.Sequence}"));
}
