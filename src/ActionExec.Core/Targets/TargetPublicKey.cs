namespace ActionExec.Targets;

/// <summary>
/// A public key of a target, to which payloads of type <see cref="PayloadType"/> <c>jwe</c> are encrypted. A target holds a few
/// keys for rotation; at most one is active, and a key past its <see cref="ExpirationDate"/> is never used. Immutable; public
/// material only (a private key is never accepted, so it can never be stored).
/// </summary>
public sealed record TargetPublicKey
{
    /// <summary>The generated id of the key; also the <c>kid</c> header of the tokens encrypted to it.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key as a PEM <c>PUBLIC KEY</c> block (its DER SubjectPublicKeyInfo), whatever PEM form it was given in.</summary>
    public required string PublicKey { get; init; }

    /// <summary>
    /// <c>SHA256:</c> followed by the base64 (without padding) of the SHA-256 of the key's DER SubjectPublicKeyInfo, as
    /// <c>openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64</c> computes it.
    /// </summary>
    public required string Fingerprint { get; init; }

    /// <summary>
    /// Whether the key is the target's active key. In a listing this is the state at the time of the listing: a key whose
    /// <see cref="ExpirationDate"/> has passed is listed as inactive (see <see cref="IsActiveAt"/>).
    /// </summary>
    public bool Active { get; init; }

    /// <summary>When the key stops being used; <see langword="null"/> when it does not expire.</summary>
    public DateTimeOffset? ExpirationDate { get; init; }

    /// <summary>When the key was added.</summary>
    public DateTimeOffset CreationDate { get; init; }

    /// <summary>When the key was last changed: added, activated or deactivated.</summary>
    public DateTimeOffset ChangeDate { get; init; }

    /// <summary>Whether the key is active at <paramref name="time"/>: activated, and not expired (it expires at its <see cref="ExpirationDate"/>).</summary>
    /// <param name="time">The time, from the host's <see cref="TimeProvider"/>.</param>
    /// <returns><see langword="true"/> when the key encrypts payloads sent at <paramref name="time"/>.</returns>
    public bool IsActiveAt(DateTimeOffset time) => Active && !IsExpiredAt(time);

    /// <summary>Whether the key has expired at <paramref name="time"/>.</summary>
    internal bool IsExpiredAt(DateTimeOffset time) => ExpirationDate is { } expiration && time >= expiration;
}
