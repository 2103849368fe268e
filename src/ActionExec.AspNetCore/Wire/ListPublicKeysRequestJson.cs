namespace ActionExec.AspNetCore.Wire;

/// <summary>The body of listing a target's public keys (<c>POST …/publickeys/search</c>): <c>{}</c>, or none; <c>targetId</c> is the path's.</summary>
internal sealed record ListPublicKeysRequestJson
{
    /// <summary>The target; the path's id wins, as ZITADEL's gateway fills path parameters over the body.</summary>
    public string? TargetId { get; init; }
}
