namespace ActionExec.AspNetCore.Wire;

/// <summary>A list of executions: <c>{"details": {"totalResult": "2", "appliedLimit": "100"}, "result": [ … ]}</c>.</summary>
internal sealed record ExecutionListJson
{
    /// <summary>How many executions match and the limit applied.</summary>
    public ListDetailsJson? Details { get; init; }

    /// <summary>The executions.</summary>
    public IReadOnlyList<ExecutionJson>? Result { get; init; }
}
