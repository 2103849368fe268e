namespace ActionExec.Signatures;

/// <summary>What made <see cref="WebhookSignatureVerifier"/> reject a request, for a receiver that answers with it.</summary>
internal enum WebhookVerificationFailure
{
    /// <summary>Nothing: the request was accepted.</summary>
    None,

    /// <summary>A signature header of the scheme is absent.</summary>
    MissingHeader,

    /// <summary>A signature header is present but cannot be read.</summary>
    MalformedHeader,

    /// <summary>The signed timestamp is older than the tolerance allows.</summary>
    Stale,

    /// <summary>The signed timestamp lies further in the future than the tolerance allows.</summary>
    Future,

    /// <summary>No signature matches any configured key.</summary>
    NoMatch,
}
