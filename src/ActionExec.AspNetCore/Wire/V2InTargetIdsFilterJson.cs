namespace ActionExec.AspNetCore.Wire;

/// <summary>ZITADEL's <c>InTargetIDsFilter</c>: <c>{"targetIds": ["…", "…"]}</c>.</summary>
internal sealed record V2InTargetIdsFilterJson
{
    /// <summary>The ids; a target matches when its id is one of them.</summary>
    public IReadOnlyList<string?>? TargetIds { get; init; }
}
