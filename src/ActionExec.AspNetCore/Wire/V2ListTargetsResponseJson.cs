namespace ActionExec.AspNetCore.Wire;

/// <summary>The response of <c>POST /v2/actions/targets/search</c>: <c>{"pagination": {"totalResult", "appliedLimit"}, "targets": [ … ]}</c>.</summary>
internal sealed record V2ListTargetsResponseJson
{
    /// <summary>How many targets match and the limit applied.</summary>
    public V2PaginationResponseJson? Pagination { get; init; }

    /// <summary>The targets of the page, without their signing keys.</summary>
    public IReadOnlyList<TargetJson>? Targets { get; init; }
}
