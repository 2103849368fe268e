using ActionExec.Signatures;

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
}
