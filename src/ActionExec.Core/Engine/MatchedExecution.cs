using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Executions;

namespace ActionExec.Engine;

/// <summary>
/// An execution compiled for invocation: its targets flattened once (includes resolved, a target kept at its
/// first position only) and resolved to their definitions. Created when a snapshot is compiled; a lookup
/// returns it without allocating.
/// </summary>
internal sealed class MatchedExecution
{
    internal MatchedExecution(
        Execution execution,
        ImmutableArray<ResolvedTarget> targets,
        ImmutableArray<ResolvedTarget> ownTargets,
        ImmutableArray<Condition> unresolvedIncludes,
        ImmutableArray<Condition> cascade)
    {
        Execution = execution;
        Targets = targets;
        OwnTargets = ownTargets;
        UnresolvedIncludes = unresolvedIncludes;
        Cascade = cascade;
    }

    /// <summary>The stored execution.</summary>
    public Execution Execution { get; }

    /// <summary>The execution's condition.</summary>
    public Condition Condition => Execution.Condition;

    /// <summary>The level at which the call matched: the scope of <see cref="Condition"/>.</summary>
    public ConditionScope Level => Execution.Condition.Scope;

    /// <summary>
    /// The targets to invoke, in order. Under <see cref="MatchPolicy.BestMatch"/> the flattened targets of this
    /// execution; under <see cref="MatchPolicy.Cascade"/> those of every matching level, general to specific.
    /// </summary>
    public ImmutableArray<ResolvedTarget> Targets { get; }

    /// <summary>The flattened targets of this execution alone, whatever the policy.</summary>
    public ImmutableArray<ResolvedTarget> OwnTargets { get; }

    /// <summary>Includes anywhere in this execution's tree that resolved to nothing (missing or emptied executions).</summary>
    public ImmutableArray<Condition> UnresolvedIncludes { get; }

    /// <summary>Under <see cref="MatchPolicy.Cascade"/>, the conditions whose targets <see cref="Targets"/> joins, general to specific; otherwise only <see cref="Condition"/>.</summary>
    public ImmutableArray<Condition> Cascade { get; }
}
