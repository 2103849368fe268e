using ActionExec.Conditions;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;

namespace ActionExec.Soak;

/// <summary>
/// One writer changing the matching tenant while it is read: executions set, replaced and removed (includes, cycles and too-deep
/// chains among them, which must be refused), targets created, updated, rotated and deleted. After every applied
/// <c>SetExecution</c> the very next lookup must see it.
/// </summary>
internal sealed class MutationLoad(IActionManagement management, ActionEngine engine, ManagementCaller caller, SoakCounters counters)
{
    private const int MinTargets = 6;
    private const int MaxTargets = 18;

    private readonly Random _random = new(20241218);
    private readonly List<string> _targets = [];
    private int _created;

    public async Task SeedAsync()
    {
        while (_targets.Count < MaxTargets / 2)
        {
            await CreateTargetAsync();
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await MutateAsync();
            }
            catch (ActionExecException e) when (e.Code is ActionExecErrorCode.NotFound or ActionExecErrorCode.FailedPrecondition)
            {
                // A missing include, a cycle or a chain too deep: refusing it is the management service doing its job.
                counters.AddRejectedMutation();
            }
            catch (Exception e)
            {
                counters.AddUnhandled($"writer: {e.GetType().Name}: {e.Message}");
            }

            // Changes come in bursts, not in a spin: the readers should mostly see settled snapshots, as in a real host.
            await Task.Delay(1, CancellationToken.None);
        }
    }

    private async Task MutateAsync()
    {
        var roll = _random.Next(100);
        if (roll < 70)
        {
            await SetAsync(Pick(MatchUniverse.Conditions), Entries());
        }
        else if (roll < 78)
        {
            await SetAsync(Pick(MatchUniverse.Conditions), []);
        }
        else if (roll < 88)
        {
            if (_targets.Count < MaxTargets && (_targets.Count <= MinTargets || _random.Next(2) == 0))
            {
                await CreateTargetAsync();
            }
            else
            {
                var id = Pick(_targets);
                await management.DeleteTargetAsync(caller, id);
                _targets.Remove(id);
                counters.AddMutation();
            }
        }
        else if (roll < 94)
        {
            await management.UpdateTargetAsync(caller, Pick(_targets), new TargetUpdate { Timeout = TimeSpan.FromMilliseconds(_random.Next(100, 10_000)) });
            counters.AddMutation();
        }
        else
        {
            await management.RotateSigningKeyAsync(caller, Pick(_targets));
            counters.AddMutation();
        }
    }

    private async Task SetAsync(Condition condition, ExecutionEntry[] entries)
    {
        var result = await management.SetExecutionAsync(caller, condition, entries);
        if (!result.Changed)
        {
            return;
        }

        counters.AddMutation();
        var visible = engine.TryGetSnapshot(caller.TenantId, out var snapshot) && snapshot.TryGetExecution(condition, out var stored)
            ? stored.Entries.AsSpan().SequenceEqual(entries)
            : entries.Length == 0;
        if (!visible)
        {
            counters.AddMismatch($"SetExecution of {condition.Id} returned, but the next lookup does not see its entries");
        }
    }

    private ExecutionEntry[] Entries()
    {
        var entries = _targets.OrderBy(_ => _random.Next()).Take(_random.Next(0, 4)).Select(ExecutionEntry.ForTarget).ToList();
        if (_random.Next(100) < 35)
        {
            entries.Insert(_random.Next(entries.Count + 1), ExecutionEntry.ForInclude(Pick(MatchUniverse.Conditions)));
        }

        return entries.Count == 0 ? [ExecutionEntry.ForTarget(Pick(_targets))] : [.. entries];
    }

    private async Task CreateTargetAsync()
    {
        var name = $"soak-target-{_created++}";
        var created = await management.CreateTargetAsync(caller, new TargetSpec
        {
            Name = name,
            Endpoint = $"https://{name}.soak.invalid/hook",
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(5),
        });
        _targets.Add(created.Target.Id);
        counters.AddMutation();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
