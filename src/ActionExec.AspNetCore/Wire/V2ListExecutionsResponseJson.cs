namespace ActionExec.AspNetCore.Wire;

/// <summary>The response of <c>POST /v2/actions/executions/search</c>: <c>{"pagination": {"totalResult", "appliedLimit"}, "executions": [ … ]}</c>.</summary>
internal sealed record V2ListExecutionsResponseJson
{
    /// <summary>How many executions match and the limit applied.</summary>
    public V2PaginationResponseJson? Pagination { get; init; }

    /// <summary>The executions of the page.</summary>
    public IReadOnlyList<V2ExecutionJson>? Executions { get; init; }
}
