namespace ActionExec.Targets;

/// <summary>How requests to a target are signed with the target's signing key.</summary>
public enum SignatureScheme
{
    /// <summary>
    /// ZITADEL's header: <c>ZITADEL-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(key, "t.body")&gt;</c>; the default,
    /// so that receivers written for ZITADEL work unchanged.
    /// </summary>
    Zitadel,

    /// <summary>The Standard Webhooks headers <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature</c>.</summary>
    StandardWebhooks,
}
