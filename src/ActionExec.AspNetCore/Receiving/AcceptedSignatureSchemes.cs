namespace ActionExec.AspNetCore.Receiving;

/// <summary>The signature schemes a receiver accepts; see <see cref="ActionReceiverOptions.Schemes"/>.</summary>
[Flags]
public enum AcceptedSignatureSchemes
{
    /// <summary>ZITADEL's <c>ZITADEL-Signature: t=…,v1=…</c> header.</summary>
    Zitadel = 1,

    /// <summary>The Standard Webhooks headers <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature</c>.</summary>
    StandardWebhooks = 2,

    /// <summary>Either scheme, chosen by the headers the request carries.</summary>
    Any = Zitadel | StandardWebhooks,
}
