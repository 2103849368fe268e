namespace ActionExec.AspNetCore.Wire;

/// <summary>A target's public keys, oldest first: <c>{"publicKeys": [ … ]}</c>.</summary>
internal sealed record ListPublicKeysResponseJson
{
    /// <summary>The keys.</summary>
    public IReadOnlyList<PublicKeyJson>? PublicKeys { get; init; }
}
