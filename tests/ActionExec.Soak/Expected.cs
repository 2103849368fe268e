using System.Collections.Immutable;
using ActionExec.Engine;

namespace ActionExec.Soak;

/// <summary>The execution a lookup must find (null: none) and its flattened target ids in order.</summary>
internal sealed record Expected(string? ConditionId, ImmutableArray<string> TargetIds)
{
    public static Expected None { get; } = new(null, []);

    /// <summary>Whether the compiled answer is this one, without allocating.</summary>
    public bool Matches(MatchedExecution? actual)
    {
        if (actual is null)
        {
            return ConditionId is null;
        }

        if (!string.Equals(actual.Condition.Id, ConditionId, StringComparison.Ordinal) || actual.Targets.Length != TargetIds.Length)
        {
            return false;
        }

        for (var i = 0; i < TargetIds.Length; i++)
        {
            if (!string.Equals(actual.Targets[i].Id, TargetIds[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => ConditionId is null ? "no execution" : $"{ConditionId} [{string.Join(", ", TargetIds)}]";
}
