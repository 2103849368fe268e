namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The response of getting or updating a target, in ZITADEL's wrapper: <c>{"target": {"id", "name", "endpoint", …}}</c>.
/// The target has no signing key, by design.
/// </summary>
internal sealed record TargetResponseJson
{
    /// <summary>The target.</summary>
    public TargetJson? Target { get; init; }
}
