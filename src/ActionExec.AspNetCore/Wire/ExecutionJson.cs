using ActionExec.Executions;

namespace ActionExec.AspNetCore.Wire;

/// <summary>An execution as list returns it: <c>{"condition", "targets": [entries], "details": {sequence, changeDate, resourceOwner}}</c>.</summary>
internal sealed record ExecutionJson
{
    /// <summary>When the execution runs.</summary>
    public ConditionJson? Condition { get; init; }

    /// <summary>The ordered entries, each in the object form.</summary>
    public IReadOnlyList<ExecutionEntryJson?>? Targets { get; init; }

    /// <summary>The details of the execution's last change.</summary>
    public DetailsJson? Details { get; init; }

    internal static ExecutionJson FromModel(Execution execution) => new()
    {
        Condition = ConditionJson.FromModel(execution.Condition),
        Targets = [.. execution.Entries.Select(ExecutionEntryJson.FromModel)],
        Details = DetailsJson.FromModel(execution.Details),
    };
}
