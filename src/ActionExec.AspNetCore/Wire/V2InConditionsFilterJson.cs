namespace ActionExec.AspNetCore.Wire;

/// <summary>ZITADEL's <c>InConditionsFilter</c>: <c>{"conditions": [{"request": {"method": "…"}}, …]}</c>.</summary>
internal sealed record V2InConditionsFilterJson
{
    /// <summary>The conditions; an execution matches when its condition is one of them.</summary>
    public IReadOnlyList<ConditionJson?>? Conditions { get; init; }
}
