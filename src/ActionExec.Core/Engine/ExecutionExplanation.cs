using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Targets;

namespace ActionExec.Engine;

/// <summary>Why a call matched what it matched: the answer of the explain API.</summary>
public sealed record ExecutionExplanation
{
    /// <summary>The kind of call.</summary>
    public required ConditionKind Kind { get; init; }

    /// <summary>The value matched: a full method, an event type or a function name.</summary>
    public required string Value { get; init; }

    /// <summary>The policy in force.</summary>
    public required MatchPolicy Policy { get; init; }

    /// <summary>The levels considered, most specific first, and whether each has an execution.</summary>
    public required ImmutableArray<ExplainedCandidate> Candidates { get; init; }

    /// <summary>The condition of the execution that matched, or <see langword="null"/> when none did.</summary>
    public Condition? Matched { get; init; }

    /// <summary>The level that matched, or <see langword="null"/> when none did.</summary>
    public ConditionScope? Level { get; init; }

    /// <summary>A sentence that says which execution matched and why.</summary>
    public required string Reason { get; init; }

    /// <summary>Under <see cref="MatchPolicy.Cascade"/>, the conditions whose targets run, general to specific.</summary>
    public ImmutableArray<Condition> Cascade { get; init; } = [];

    /// <summary>The targets that would run, in order (definitions only; never a key).</summary>
    public ImmutableArray<Target> Targets { get; init; } = [];

    /// <summary>Includes that resolved to nothing (their executions were removed or are empty).</summary>
    public ImmutableArray<Condition> UnresolvedIncludes { get; init; } = [];
}
