using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Executions;

namespace ActionExec.AspNetCore.Wire;

/// <summary>A validated <c>SetExecution</c> body: the condition and its ordered entries.</summary>
/// <param name="Condition">When the execution runs.</param>
/// <param name="Entries">The ordered entries; empty removes the execution.</param>
internal sealed record SetExecutionRequest(Condition Condition, ImmutableArray<ExecutionEntry> Entries)
{
    /// <inheritdoc />
    public bool Equals(SetExecutionRequest? other) =>
        other is not null && Condition.Equals(other.Condition) && Entries.AsSpan().SequenceEqual(other.Entries.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Condition, Entries.Length);
}
