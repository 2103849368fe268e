using System.Globalization;
using ActionExec.Targets;

namespace ActionExec.Signatures;

/// <summary>
/// Signs requests to targets, in ZITADEL's or the Standard Webhooks scheme. The signature is computed over the exact body bytes that are sent, so a
/// caller must sign the buffer it writes to the wire and must not re-serialize afterwards.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="SignatureScheme.Zitadel"/> sends <c>ZITADEL-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where the hex is the
/// lower-case HMAC-SHA256 of <c>"&lt;t&gt;.&lt;body&gt;"</c> keyed with the UTF-8 bytes of the signing key.
/// </para>
/// <para>
/// <see cref="SignatureScheme.StandardWebhooks"/> sends <c>webhook-id</c>, <c>webhook-timestamp</c> and
/// <c>webhook-signature: v1,&lt;base64&gt;</c>, where the base64 is the HMAC-SHA256 of
/// <c>"&lt;id&gt;.&lt;timestamp&gt;.&lt;body&gt;"</c> keyed with the secret: the base64-decoded bytes after <c>whsec_</c>.
/// A key without the <c>whsec_</c> prefix (a target whose scheme was changed after its key was generated) is used
/// as its UTF-8 bytes, as the ZITADEL scheme does; <see cref="WebhookSignatureVerifier"/> derives keys the same way.
/// </para>
/// </remarks>
internal static class WebhookSigner
{
    /// <summary>The header of the ZITADEL scheme.</summary>
    public const string ZitadelSignatureHeader = "ZITADEL-Signature";

    /// <summary>The Standard Webhooks header carrying the delivery id.</summary>
    public const string WebhookIdHeader = "webhook-id";

    /// <summary>The Standard Webhooks header carrying the time of signing in Unix seconds.</summary>
    public const string WebhookTimestampHeader = "webhook-timestamp";

    /// <summary>The Standard Webhooks header carrying the signatures.</summary>
    public const string WebhookSignatureHeader = "webhook-signature";

    // "t=" + 20 digits + ",v1=" + 64 hex characters.
    private const int ZitadelValueMaxChars = 2 + 20 + 4 + (WebhookHmac.MacBytes * 2);

    // "v1," + the base64 of 32 bytes (44 characters).
    private const int StandardValueChars = 3 + 44;

    /// <summary>Computes the signature headers for a request.</summary>
    /// <param name="scheme">The target's signature scheme.</param>
    /// <param name="signingKey">The target's signing key.</param>
    /// <param name="body">The exact bytes of the request body.</param>
    /// <param name="timestamp">The time of signing; sent in whole Unix seconds.</param>
    /// <param name="deliveryId">
    /// The id of the delivery, sent as <c>webhook-id</c> by Standard Webhooks; it should stay the same across retries
    /// of one delivery so that receivers can deduplicate. Not sent by the ZITADEL scheme, but required all the same
    /// so that a target's scheme can change without the caller changing.
    /// </param>
    /// <returns>One header for ZITADEL, three for Standard Webhooks.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="signingKey"/> is null, empty or an unusable <c>whsec_</c> key, or <paramref name="deliveryId"/>
    /// is null, empty or contains a control character.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined value.</exception>
    public static WebhookSignatureHeaders CreateHeaders(
        SignatureScheme scheme,
        string signingKey,
        ReadOnlySpan<byte> body,
        DateTimeOffset timestamp,
        string deliveryId)
    {
        WebhookHmac.ValidateScheme(scheme, nameof(scheme));
        WebhookHmac.ValidateKey(scheme, signingKey, nameof(signingKey));
        ValidateDeliveryId(deliveryId);

        var seconds = timestamp.ToUnixTimeSeconds();
        Span<byte> mac = stackalloc byte[WebhookHmac.MacBytes];
        Span<byte> stackContent = stackalloc byte[WebhookHmac.StackContentBytes];
        var content = WebhookHmac.BuildContent(scheme, deliveryId, seconds, body, stackContent, out var rented);
        try
        {
            WebhookHmac.Compute(scheme, signingKey, content, mac);
        }
        finally
        {
            WebhookHmac.Return(rented);
        }

        return scheme == SignatureScheme.Zitadel
            ? new WebhookSignatureHeaders(new(ZitadelSignatureHeader, FormatZitadel(seconds, mac)))
            : new WebhookSignatureHeaders(
                new(WebhookIdHeader, deliveryId),
                new(WebhookTimestampHeader, seconds.ToString(CultureInfo.InvariantCulture)),
                new(WebhookSignatureHeader, FormatStandard(mac)));
    }

    /// <summary>Computes the signature headers for a request and adds them to <paramref name="headers"/>.</summary>
    /// <param name="scheme">The target's signature scheme.</param>
    /// <param name="signingKey">The target's signing key.</param>
    /// <param name="body">The exact bytes of the request body.</param>
    /// <param name="timestamp">The time of signing; sent in whole Unix seconds.</param>
    /// <param name="deliveryId">The id of the delivery; see <see cref="CreateHeaders"/>.</param>
    /// <param name="headers">The collection the headers are added to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="headers"/> is null.</exception>
    /// <exception cref="ArgumentException">As for <see cref="CreateHeaders"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined value.</exception>
    public static void AddHeaders(
        SignatureScheme scheme,
        string signingKey,
        ReadOnlySpan<byte> body,
        DateTimeOffset timestamp,
        string deliveryId,
        ICollection<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var header in CreateHeaders(scheme, signingKey, body, timestamp, deliveryId))
        {
            headers.Add(header);
        }
    }

    private static void ValidateDeliveryId(string deliveryId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);

        // The id becomes a header value; a line break in it would let it forge further headers.
        foreach (var c in deliveryId)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException(
                    $"The delivery id '{deliveryId.ReplaceLineEndings(" ")}' contains a control character; use an id of printable characters, such as a GUID.",
                    nameof(deliveryId));
            }
        }
    }

    private static string FormatZitadel(long seconds, ReadOnlySpan<byte> mac)
    {
        Span<char> value = stackalloc char[ZitadelValueMaxChars];
        "t=".CopyTo(value);
        var position = 2;
        seconds.TryFormat(value[position..], out var written, default, CultureInfo.InvariantCulture);
        position += written;
        ",v1=".CopyTo(value[position..]);
        position += 4;
        Convert.TryToHexStringLower(mac, value[position..], out written);
        position += written;
        return new string(value[..position]);
    }

    private static string FormatStandard(ReadOnlySpan<byte> mac)
    {
        Span<char> value = stackalloc char[StandardValueChars];
        "v1,".CopyTo(value);
        Convert.TryToBase64Chars(mac, value[3..], out var written);
        return new string(value[..(3 + written)]);
    }
}
