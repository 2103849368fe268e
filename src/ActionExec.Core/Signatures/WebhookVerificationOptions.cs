namespace ActionExec.Signatures;

/// <summary>The options of a <see cref="WebhookSignatureVerifier"/>. Read once, when the verifier is constructed.</summary>
public sealed class WebhookVerificationOptions
{
    /// <summary>The default <see cref="Tolerance"/>: 300 seconds, as ZITADEL and Standard Webhooks use.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    /// <summary>
    /// How far the signed timestamp may lie before or after the receiver's clock. Older requests are rejected as
    /// stale (replay protection), newer ones as coming from the future. Default 300 seconds; zero or greater.
    /// </summary>
    public TimeSpan Tolerance { get; set; } = DefaultTolerance;

    /// <summary>The receiver's clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
