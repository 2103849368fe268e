using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Storage;
using ActionExec.Targets;

namespace ActionExec.Benchmarks.Engine;

/// <summary>Generates a realistic tenant: methods spread over services, one target per ten executions, and every tenth execution including a service.</summary>
internal static class TenantGenerator
{
    public const string TenantId = "bench";

    public static TenantState Create(int executions)
    {
        var now = new DateTimeOffset(2024, 12, 18, 0, 0, 0, TimeSpan.Zero);
        var targetCount = Math.Max(1, executions / 10);
        var targets = Enumerable.Range(0, targetCount).Select(i => new StoredTarget(
            new Target
            {
                Id = $"target-{i}",
                Name = $"target {i}",
                Endpoint = $"https://hooks.example.com/{i}",
                Type = TargetType.Webhook,
                Timeout = TimeSpan.FromSeconds(10),
                CreationDate = now,
                ChangeDate = now,
            },
            "key")).ToImmutableArray();

        var details = new ExecutionDetails(1, now, TenantId);
        var services = Math.Max(1, executions / 20);
        var result = ImmutableArray.CreateBuilder<Execution>(executions);
        for (var i = 0; i < services && result.Count < executions; i++)
        {
            result.Add(new Execution(Condition.RequestService(ServiceName(i)), [ExecutionEntry.ForTarget($"target-{i % targetCount}")], details));
        }

        for (var i = 0; result.Count < executions; i++)
        {
            var service = i % services;
            ImmutableArray<ExecutionEntry> entries = i % 10 == 0
                ? [ExecutionEntry.ForTarget($"target-{i % targetCount}"), ExecutionEntry.ForInclude(Condition.RequestService(ServiceName((service + 1) % services)))]
                : [ExecutionEntry.ForTarget($"target-{i % targetCount}"), ExecutionEntry.ForTarget($"target-{(i + 1) % targetCount}")];
            result.Add(new Execution(Condition.RequestMethod($"/{ServiceName(service)}/Method{i}"), entries, details));
        }

        return new TenantState { TenantId = TenantId, Sequence = 1, Targets = targets, Executions = result.MoveToImmutable() };
    }

    public static string ServiceName(int i) => $"acme.pkg{i % 97}.v1.Service{i}";
}
