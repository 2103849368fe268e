using System.Collections.Immutable;
using ActionExec.Targets;

namespace ActionExec.Management;

/// <summary>One page of a target search (ZITADEL's <c>ListTargetsResponse</c>).</summary>
/// <param name="Targets">The targets on the page, in the query's order (never their keys).</param>
/// <param name="TotalResult">How many targets match the filters in all, whatever the page.</param>
/// <param name="AppliedLimit">The page size that was applied (the query's limit, or the default for 0).</param>
public sealed record TargetPage(ImmutableArray<Target> Targets, long TotalResult, int AppliedLimit);
