using System.Collections.Immutable;
using ActionExec.Targets;

namespace ActionExec.Storage;

/// <summary>A target as a store keeps it: the definition, its signing key and its public keys.</summary>
/// <param name="Target">The target definition.</param>
/// <param name="SigningKey">The signing key. Stores must protect it as a secret; it is never returned by get or list.</param>
public sealed record StoredTarget(Target Target, string SigningKey)
{
    /// <summary>
    /// The target's public keys for encrypted payloads, oldest first. They travel with the target: a store writes and loads
    /// them with it, and deleting the target deletes them. Public material: no protection needed. A default array reads as empty.
    /// </summary>
    public ImmutableArray<TargetPublicKey> PublicKeys
    {
        get;
        init => field = value.IsDefault ? [] : value;
    } = [];

    /// <summary>Whether <paramref name="other"/> holds the same definition, signing key and public keys (compared in order).</summary>
    /// <param name="other">The other record.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(StoredTarget? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Target == other.Target
                && string.Equals(SigningKey, other.SigningKey, StringComparison.Ordinal)
                && PublicKeys.AsSpan().SequenceEqual(other.PublicKeys.AsSpan())));

    /// <summary>A hash of the definition and the signing key.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(Target, SigningKey);

    /// <summary>Returns the target's id and name; never the key.</summary>
    /// <returns>A readable form without secrets.</returns>
    public override string ToString() => $"StoredTarget {{ Id = {Target.Id}, Name = {Target.Name} }}";
}
