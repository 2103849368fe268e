using System.Collections.Immutable;
using ActionExec.Executions;

namespace ActionExec.Management;

/// <summary>One page of an execution search (ZITADEL's <c>ListExecutionsResponse</c>).</summary>
/// <param name="Executions">The executions on the page, in the query's order, each with the targets it calls.</param>
/// <param name="TotalResult">How many executions match the filters in all, whatever the page.</param>
/// <param name="AppliedLimit">The page size that was applied (the query's limit, or the default for 0).</param>
public sealed record ExecutionPage(ImmutableArray<ExecutionPage.Item> Executions, long TotalResult, int AppliedLimit)
{
    /// <summary>A stored execution and the targets it calls.</summary>
    /// <param name="Execution">The stored execution, with its entries (targets and includes).</param>
    /// <param name="TargetIds">
    /// The ids of the targets the execution calls, in order: its entries with includes resolved, each target once at its
    /// first position (ZITADEL's <c>targets</c>, "ordered list of targets called").
    /// </param>
    public sealed record Item(Execution Execution, ImmutableArray<string> TargetIds);
}
