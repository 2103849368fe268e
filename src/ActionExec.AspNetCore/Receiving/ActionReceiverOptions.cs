using ActionExec.Signatures;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>
/// The options of a receiver: what an endpoint marked with <c>RequireActionSignature</c> accepts. Registered, named, with
/// <c>AddActionReceiver</c>; validated when the host starts, every problem listed.
/// </summary>
public sealed class ActionReceiverOptions
{
    /// <summary>The default <see cref="MaxBodyBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// The signing keys of the target (or targets) whose deliveries the endpoint accepts, exactly as the sender returned them
    /// (a ZITADEL key, or <c>whsec_…</c> for Standard Webhooks). A delivery is accepted when it is signed with any of them, so
    /// that the old and the new key can both be listed while a target's key is rotated. At least one.
    /// </summary>
    public IList<string> SigningKeys { get; } = new List<string>();

    /// <summary>
    /// The signature schemes accepted. Default <see cref="AcceptedSignatureSchemes.Any"/>: a request carrying a
    /// <c>webhook-signature</c> header is verified as Standard Webhooks, any other as ZITADEL.
    /// </summary>
    public AcceptedSignatureSchemes Schemes { get; set; } = AcceptedSignatureSchemes.Any;

    /// <summary>
    /// How far the signed timestamp may lie before or after the receiver's clock (the <see cref="TimeProvider"/> in the
    /// services); also how long a delivery is remembered to reject its replay. Default 300 seconds; zero or greater.
    /// </summary>
    public TimeSpan Tolerance { get; set; } = WebhookVerificationOptions.DefaultTolerance;

    /// <summary>
    /// The largest body accepted, in bytes; a larger one is answered 413 without being read further. Default
    /// <see cref="DefaultMaxBodyBytes"/>; from 1 to <see cref="Array.MaxLength"/>.
    /// </summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>
    /// How the sender encodes the payload: <see cref="PayloadType.Json"/> (the default), <see cref="PayloadType.Jwt"/> (a compact
    /// JWS, validated with <see cref="JwksUri"/> or <see cref="IssuerJwks"/>) or <see cref="PayloadType.Jwe"/> (that JWS
    /// encrypted to one of <see cref="DecryptionKeys"/>). The signature header is verified first in every case: it covers the
    /// exact bytes received, the compact token included.
    /// </summary>
    public PayloadType PayloadType { get; set; } = PayloadType.Json;

    /// <summary>
    /// Where the sender publishes the public keys of its tokens as a JSON Web Key Set (for ActionExec, the route its host maps;
    /// for ZITADEL, its JWKS URL). Fetched when first needed, kept for an hour, and fetched again early when a token names a key
    /// id it does not hold (at most every 10 seconds). HTTPS, or HTTP to a loopback address. For <see cref="PayloadType.Jwt"/>
    /// and <see cref="PayloadType.Jwe"/>, this or <see cref="IssuerJwks"/>.
    /// </summary>
    public Uri? JwksUri { get; set; }

    /// <summary>
    /// The sender's public keys as a JSON Web Key Set (<c>{"keys": […]}</c>), given directly instead of fetched from
    /// <see cref="JwksUri"/>; when both are given, both are used. A token is checked only with the key its <c>kid</c> names.
    /// </summary>
    public string? IssuerJwks { get; set; }

    /// <summary>
    /// The receiver's private keys for <see cref="PayloadType.Jwe"/>, by key id: the id under which the target knows the public
    /// key (its <c>keyId</c>, sent as the token's <c>kid</c>) and the private key in PEM (PKCS#8 <c>PRIVATE KEY</c>, or
    /// <c>RSA PRIVATE KEY</c> / <c>EC PRIVATE KEY</c>). RSA keys are used with <c>RSA-OAEP-256</c>, EC keys on P-256, P-384 or
    /// P-521 with <c>ECDH-ES+A256KW</c>. The token's <c>kid</c> chooses the key; during a rotation, list both.
    /// </summary>
    public IDictionary<string, string> DecryptionKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The <c>iss</c> a token must carry, when the sender sets one; <see langword="null"/> (the default) checks none.</summary>
    public string? ValidIssuer { get; set; }

    /// <summary>
    /// The <c>aud</c> a token must carry: the target's endpoint as the sender has it, such as
    /// <c>https://hooks.example.com/user-added</c>. <see langword="null"/> (the default) checks none; the signature header,
    /// keyed per target, already ties a delivery to its target.
    /// </summary>
    public string? ValidAudience { get; set; }
}
