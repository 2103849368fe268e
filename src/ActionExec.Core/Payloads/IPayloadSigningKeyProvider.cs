using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Payloads;

/// <summary>
/// The host's keys for <see cref="Targets.PayloadType.Jwt"/> and <see cref="Targets.PayloadType.Jwe"/> payloads: the key that signs
/// new tokens, and every key whose public part is still published (as a JWKS) so that tokens signed before a rotation stay
/// verifiable until they expire. <see cref="InMemoryPayloadSigningKeyProvider"/> is the built-in one; register it with
/// <c>AddPayloadSigningKeys</c>. Several instances of a host must share the same keys.
/// </summary>
/// <remarks>
/// Keys are <see cref="RsaSecurityKey"/> (at least 2048 bits, signing with RS256) or <see cref="ECDsaSecurityKey"/> (P-256, P-384 or
/// P-521, signing with ES256, ES384 or ES512), each with a <see cref="SecurityKey.KeyId"/>. Both members are read on every
/// token, so they should be cheap: return fields, not a database round trip.
/// </remarks>
public interface IPayloadSigningKeyProvider
{
    /// <summary>The key that signs new tokens, with its private part and its key id (sent as the JWS <c>kid</c>).</summary>
    SecurityKey SigningKey { get; }

    /// <summary>The keys whose public parts the JWKS publishes: the signing key and those still verifying earlier tokens.</summary>
    IReadOnlyList<SecurityKey> PublishedKeys { get; }
}
