using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Engine;
using ActionExec.Executions;

namespace ActionExec.Soak;

/// <summary>
/// What a lookup must answer, worked out the slow and obvious way from a snapshot's stored executions (spec §4, §5): try the
/// candidate conditions from the most specific to <c>all</c>, then flatten the includes depth-first, a target at its first place
/// only. Independent of the compiled matcher it checks.
/// </summary>
internal sealed class NaiveExpectation
{
    private readonly ActionSnapshot _snapshot;
    private readonly Dictionary<string, Execution> _executions;
    private readonly Expected?[] _answers;
    private readonly IReadOnlyList<Probe> _probes;

    public NaiveExpectation(ActionSnapshot snapshot, IReadOnlyList<Probe> probes)
    {
        _snapshot = snapshot;
        _executions = snapshot.Executions.ToDictionary(e => e.Id, StringComparer.Ordinal);
        _probes = probes;
        _answers = new Expected?[probes.Count];
    }

    /// <summary>The expected answer for probe <paramref name="index"/>, worked out on first use.</summary>
    public Expected For(int index)
    {
        var answer = Volatile.Read(ref _answers[index]);
        if (answer is null)
        {
            answer = Work(_probes[index]);
            Volatile.Write(ref _answers[index], answer);
        }

        return answer;
    }

    private Expected Work(Probe probe)
    {
        foreach (var candidate in Candidates(probe))
        {
            if (_executions.TryGetValue(candidate.Id, out var execution))
            {
                var targets = new List<string>();
                Flatten(execution, targets, new HashSet<string>(StringComparer.Ordinal));
                return new Expected(candidate.Id, [.. targets]);
            }
        }

        return Expected.None;
    }

    private void Flatten(Execution execution, List<string> targets, HashSet<string> visiting)
    {
        if (!visiting.Add(execution.Id))
        {
            return;
        }

        foreach (var entry in execution.Entries)
        {
            if (entry.Kind == ExecutionEntryKind.Target)
            {
                if (!targets.Contains(entry.TargetId!, StringComparer.Ordinal) && _snapshot.TryGetTarget(entry.TargetId!, out _))
                {
                    targets.Add(entry.TargetId!);
                }
            }
            else if (_executions.TryGetValue(entry.Include!.Id, out var included))
            {
                Flatten(included, targets, visiting);
            }
        }

        visiting.Remove(execution.Id);
    }

    private static IEnumerable<Condition> Candidates(Probe probe)
    {
        switch (probe.Kind)
        {
            case ConditionKind.Request:
                var method = probe.Value.StartsWith('/') ? probe.Value : "/" + probe.Value;
                yield return Condition.RequestMethod(method);
                var end = method.IndexOf('/', 1);
                if (end > 1)
                {
                    yield return Condition.RequestService(method[1..end]);
                }

                yield return Condition.AllRequests;
                break;
            case ConditionKind.Event:
                yield return Condition.Event(probe.Value);
                for (var dot = probe.Value.LastIndexOf('.'); dot > 0; dot = probe.Value.LastIndexOf('.', dot - 1))
                {
                    yield return Condition.EventGroup(probe.Value[..dot]);
                }

                yield return Condition.AllEvents;
                break;
            case ConditionKind.Function:
                yield return Condition.Function(probe.Value);
                break;
        }
    }
}
