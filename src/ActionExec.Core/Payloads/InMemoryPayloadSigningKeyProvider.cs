using System.Collections.Immutable;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Payloads;

/// <summary>
/// Payload signing keys held in memory: a signing key and the keys still published. <see cref="Rotate"/> makes a new key the
/// signing key and keeps the old one published, so tokens it signed stay verifiable; <see cref="Unpublish"/> removes an old key
/// once no token it signed can still be in flight (after the token lifetime and the delivery's maximum age).
/// </summary>
/// <remarks>
/// Several instances of a host must hold the same keys (load them from the same secret store at startup and rotate them the same
/// way): a receiver fetches the JWKS from one instance and verifies tokens signed by another.
/// </remarks>
public sealed class InMemoryPayloadSigningKeyProvider : IPayloadSigningKeyProvider
{
    private readonly Lock _gate = new();
    private volatile KeySet _keys;

    /// <summary>Creates the provider.</summary>
    /// <param name="signingKey">The key that signs: an RSA (at least 2048 bits) or EC (P-256, P-384, P-521) key pair with a key id.</param>
    /// <param name="publishedKeys">
    /// Further keys to publish: earlier signing keys whose tokens may still be in flight, or the next key, published before it signs.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="signingKey"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is unusable: no key id, a repeated key id, a weak or unsupported key, or a signing key without its private part. Every problem is listed.</exception>
    public InMemoryPayloadSigningKeyProvider(SecurityKey signingKey, IEnumerable<SecurityKey>? publishedKeys = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        _keys = Build(signingKey, publishedKeys ?? [], nameof(signingKey));
    }

    /// <inheritdoc/>
    public SecurityKey SigningKey => _keys.Signing;

    /// <inheritdoc/>
    public IReadOnlyList<SecurityKey> PublishedKeys => _keys.Published;

    /// <summary>Makes <paramref name="signingKey"/> the signing key; the previous signing key stays published.</summary>
    /// <param name="signingKey">The new signing key (a key already published under the same key id takes its place).</param>
    /// <exception cref="ArgumentNullException"><paramref name="signingKey"/> is null.</exception>
    /// <exception cref="ArgumentException">The key is unusable; nothing changes.</exception>
    public void Rotate(SecurityKey signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        lock (_gate)
        {
            var current = _keys;
            var others = current.Keys.Where(k => !string.Equals(k.KeyId, signingKey.KeyId, StringComparison.Ordinal));
            _keys = Build(signingKey, others, nameof(signingKey));
        }
    }

    /// <summary>Stops publishing a key that no longer signs.</summary>
    /// <param name="keyId">The key id.</param>
    /// <returns><see langword="true"/> when the key was published and is removed; <see langword="false"/> when no such key is published.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is null or empty.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="keyId"/> names the signing key; rotate to another key first.</exception>
    public bool Unpublish(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        lock (_gate)
        {
            var current = _keys;
            if (string.Equals(current.Signing.KeyId, keyId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The key '{keyId}' is the signing key and cannot be unpublished; call Rotate with a new key first.");
            }

            var remaining = current.Keys.RemoveAll(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));
            if (remaining.Length == current.Keys.Length)
            {
                return false;
            }

            _keys = new KeySet(current.Signing, remaining);
            return true;
        }
    }

    private static KeySet Build(SecurityKey signingKey, IEnumerable<SecurityKey> others, string parameterName)
    {
        ImmutableArray<SecurityKey> published = [signingKey, .. others];
        PayloadKeys.Validate(signingKey, published, parameterName);

        // Computed once, so that a key with an unsupported algorithm fails here and not on the first delivery.
        _ = PayloadKeys.SigningAlgorithm(signingKey);
        return new KeySet(signingKey, published);
    }

    /// <summary>One consistent state, replaced whole; <see cref="Published"/> is boxed once, so a JWKS written from it can be reused.</summary>
    private sealed record KeySet(SecurityKey Signing, ImmutableArray<SecurityKey> Keys)
    {
        public IReadOnlyList<SecurityKey> Published { get; } = Keys;
    }
}
