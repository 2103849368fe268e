namespace ActionExec.AspNetCore.Wire;

/// <summary>ZITADEL's <c>TargetFilter</c>: <c>{"targetId": "…"}</c>, the executions that call that target.</summary>
internal sealed record V2TargetFilterJson
{
    /// <summary>The target id.</summary>
    public string? TargetId { get; init; }
}
