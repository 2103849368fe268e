using System.Collections.Immutable;
using ActionExec.Conditions;

namespace ActionExec.Includes;

/// <summary>The entries of one execution with its includes resolved: depth-first in list order, a target keeping its first position only.</summary>
/// <param name="TargetIds">The target ids to run, in order, each once at its first position.</param>
/// <param name="UnresolvedIncludes">
/// Every include anywhere below the execution that resolved to nothing (its execution does not exist or flattens to
/// no targets), each once, in depth-first order of first occurrence.
/// </param>
internal sealed record FlattenedEntries(ImmutableArray<string> TargetIds, ImmutableArray<Condition> UnresolvedIncludes);
