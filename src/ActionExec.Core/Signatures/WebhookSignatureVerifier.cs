using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using ActionExec.Errors;
using ActionExec.Targets;

namespace ActionExec.Signatures;

/// <summary>
/// Verifies the signature of a request sent by ActionExec (or by ZITADEL, or by any Standard
/// Webhooks sender), for receivers. Thread-safe; create one and share it.
/// </summary>
/// <remarks>
/// <para>
/// A request is accepted when its timestamp is within the tolerance of the receiver's clock and any of its
/// <c>v1</c> signatures matches the HMAC computed with any of the configured keys, so that a receiver can hold
/// the old and the new key while a target's key is rotated. Signatures are compared in constant time.
/// Signature versions other than <c>v1</c> are ignored, so that a sender may add newer ones next to it.
/// </para>
/// <para>
/// The body must be the exact bytes received, before any parsing. Headers are given either as name/value pairs
/// (names are matched ignoring case) or as a lookup function. With ASP.NET Core, for example:
/// <code>
/// verifier.Verify(SignatureScheme.Zitadel, name => request.Headers[name], body, keys);
/// </code>
/// </para>
/// </remarks>
public sealed class WebhookSignatureVerifier
{
    // Signatures decoded from a header fit on the stack up to this many; beyond, a pooled array is used.
    private const int StackSignatures = 8;

    // Header text echoed in a failure message is cut to this length: it comes from the sender, unbounded.
    private const int MaxEchoedChars = 64;

    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _time;

    /// <summary>Creates a verifier.</summary>
    /// <param name="options">The tolerance and the clock; copied, so later changes to the object have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.InvalidArgument"/> when the tolerance is negative or the time provider is null;
    /// every violation is listed.
    /// </exception>
    public WebhookSignatureVerifier(WebhookVerificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var violations = new ViolationList();
        if (options.Tolerance < TimeSpan.Zero)
        {
            violations.Add(
                "tolerance",
                string.Create(CultureInfo.InvariantCulture, $"The tolerance {options.Tolerance} is negative; use zero or a positive duration such as {WebhookVerificationOptions.DefaultTolerance}."));
        }

        if (options.TimeProvider is null)
        {
            violations.Add("timeProvider", "The time provider is null; use TimeProvider.System or the clock the host injects.");
        }

        violations.ThrowIfAny();
        _tolerance = options.Tolerance;
        _time = options.TimeProvider!;
    }

    /// <summary>Verifies a request's signature.</summary>
    /// <param name="scheme">The signature scheme the sender uses.</param>
    /// <param name="headers">The request headers; names are matched ignoring case. A repeated signature header is treated as one header with all the values.</param>
    /// <param name="body">The exact bytes of the request body.</param>
    /// <param name="keys">The signing keys to accept; one or more.</param>
    /// <param name="failure">When the request is rejected, a sentence saying why; otherwise <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the request carries a valid signature within the tolerance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="headers"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keys"/> is empty, or a key is null, empty or an unusable <c>whsec_</c> key.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined value.</exception>
    public bool TryVerify(
        SignatureScheme scheme,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        ReadOnlySpan<string> keys,
        [NotNullWhen(false)] out string? failure)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ValidateArguments(scheme, keys);
        var found = Collect(scheme, headers);
        if (found.Duplicate is not null)
        {
            failure = $"The request has more than one {found.Duplicate} header; a sender sends exactly one.";
            return false;
        }

        return TryVerifyCore(scheme, found, body, keys, out _, out _, out failure);
    }

    /// <summary>Verifies a request's signature.</summary>
    /// <param name="scheme">The signature scheme the sender uses.</param>
    /// <param name="getHeader">Returns the value of the named header, or <see langword="null"/> when it is absent; should match names ignoring case, as HTTP does.</param>
    /// <param name="body">The exact bytes of the request body.</param>
    /// <param name="keys">The signing keys to accept; one or more.</param>
    /// <param name="failure">When the request is rejected, a sentence saying why; otherwise <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the request carries a valid signature within the tolerance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="getHeader"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keys"/> is empty, or a key is null, empty or an unusable <c>whsec_</c> key.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined value.</exception>
    public bool TryVerify(
        SignatureScheme scheme,
        Func<string, string?> getHeader,
        ReadOnlySpan<byte> body,
        ReadOnlySpan<string> keys,
        [NotNullWhen(false)] out string? failure)
    {
        return TryVerify(scheme, getHeader, body, keys, out _, out _, out failure);
    }

    /// <summary>
    /// Verifies a request's signature as the public overload does, and also says what failed and which timestamp was signed,
    /// for a receiver that answers with the kind of failure and remembers deliveries until their timestamp is stale.
    /// </summary>
    /// <param name="scheme">The signature scheme the sender uses.</param>
    /// <param name="getHeader">Returns the value of the named header, or <see langword="null"/> when it is absent.</param>
    /// <param name="body">The exact bytes of the request body.</param>
    /// <param name="keys">The signing keys to accept; one or more.</param>
    /// <param name="timestamp">The signed timestamp in Unix seconds, once the headers could be read; otherwise 0.</param>
    /// <param name="kind">What failed; <see cref="WebhookVerificationFailure.None"/> when the request is accepted.</param>
    /// <param name="failure">When the request is rejected, a sentence saying why; otherwise <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the request carries a valid signature within the tolerance.</returns>
    internal bool TryVerify(
        SignatureScheme scheme,
        Func<string, string?> getHeader,
        ReadOnlySpan<byte> body,
        ReadOnlySpan<string> keys,
        out long timestamp,
        out WebhookVerificationFailure kind,
        [NotNullWhen(false)] out string? failure)
    {
        ArgumentNullException.ThrowIfNull(getHeader);
        ValidateArguments(scheme, keys);
        var found = scheme == SignatureScheme.Zitadel
            ? new FoundHeaders(getHeader(WebhookSigner.ZitadelSignatureHeader), null, null)
            : new FoundHeaders(
                getHeader(WebhookSigner.WebhookSignatureHeader),
                getHeader(WebhookSigner.WebhookIdHeader),
                getHeader(WebhookSigner.WebhookTimestampHeader));
        return TryVerifyCore(scheme, found, body, keys, out timestamp, out kind, out failure);
    }

    /// <summary>Verifies a request's signature and throws when it is not valid.</summary>
    /// <param name="scheme">The signature scheme the sender uses.</param>
    /// <param name="headers">The request headers; names are matched ignoring case.</param>
    /// <param name="body">The exact bytes of the request body.</param>
    /// <param name="keys">The signing keys to accept; one or more.</param>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.Unauthenticated"/> when a header is missing or malformed, the timestamp is
    /// outside the tolerance (stale or in the future), or no signature matches; the message says which.
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="headers"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keys"/> is empty, or a key is null, empty or an unusable <c>whsec_</c> key.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined value.</exception>
    public void Verify(
        SignatureScheme scheme,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        ReadOnlySpan<string> keys)
    {
        if (!TryVerify(scheme, headers, body, keys, out var failure))
        {
            throw new ActionExecException(ActionExecErrorCode.Unauthenticated, failure);
        }
    }

    /// <summary>Verifies a request's signature and throws when it is not valid.</summary>
    /// <param name="scheme">The signature scheme the sender uses.</param>
    /// <param name="getHeader">Returns the value of the named header, or <see langword="null"/> when it is absent.</param>
    /// <param name="body">The exact bytes of the request body.</param>
    /// <param name="keys">The signing keys to accept; one or more.</param>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.Unauthenticated"/> when a header is missing or malformed, the timestamp is
    /// outside the tolerance (stale or in the future), or no signature matches; the message says which.
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="getHeader"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keys"/> is empty, or a key is null, empty or an unusable <c>whsec_</c> key.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined value.</exception>
    public void Verify(
        SignatureScheme scheme,
        Func<string, string?> getHeader,
        ReadOnlySpan<byte> body,
        ReadOnlySpan<string> keys)
    {
        if (!TryVerify(scheme, getHeader, body, keys, out var failure))
        {
            throw new ActionExecException(ActionExecErrorCode.Unauthenticated, failure);
        }
    }

    private static void ValidateArguments(SignatureScheme scheme, ReadOnlySpan<string> keys)
    {
        WebhookHmac.ValidateScheme(scheme, nameof(scheme));
        if (keys.IsEmpty)
        {
            throw new ArgumentException("No signing key was given; pass the target's signing key, or during a rotation both the old and the new key.", nameof(keys));
        }

        foreach (var key in keys)
        {
            WebhookHmac.ValidateKey(scheme, key, nameof(keys));
        }
    }

    private static FoundHeaders Collect(SignatureScheme scheme, IEnumerable<KeyValuePair<string, string>> headers)
    {
        string? signature = null;
        string? id = null;
        string? timestamp = null;
        string? duplicate = null;
        var signatureName = scheme == SignatureScheme.Zitadel ? WebhookSigner.ZitadelSignatureHeader : WebhookSigner.WebhookSignatureHeader;

        // A repeated signature header is one header split over lines; joining it with the scheme's own separator
        // keeps every signature.
        var separator = scheme == SignatureScheme.Zitadel ? "," : " ";
        foreach (var (name, value) in headers)
        {
            if (name is null || value is null)
            {
                continue;
            }

            if (string.Equals(name, signatureName, StringComparison.OrdinalIgnoreCase))
            {
                signature = signature is null ? value : signature + separator + value;
            }
            else if (scheme == SignatureScheme.StandardWebhooks)
            {
                if (string.Equals(name, WebhookSigner.WebhookIdHeader, StringComparison.OrdinalIgnoreCase))
                {
                    duplicate ??= id is null ? null : WebhookSigner.WebhookIdHeader;
                    id = value;
                }
                else if (string.Equals(name, WebhookSigner.WebhookTimestampHeader, StringComparison.OrdinalIgnoreCase))
                {
                    duplicate ??= timestamp is null ? null : WebhookSigner.WebhookTimestampHeader;
                    timestamp = value;
                }
            }
        }

        return new FoundHeaders(signature, id, timestamp, duplicate);
    }

    private bool TryVerifyCore(
        SignatureScheme scheme,
        FoundHeaders found,
        ReadOnlySpan<byte> body,
        ReadOnlySpan<string> keys,
        out long timestamp,
        out WebhookVerificationFailure kind,
        [NotNullWhen(false)] out string? failure)
    {
        timestamp = 0;
        kind = WebhookVerificationFailure.MissingHeader;
        var missing = Missing(scheme, found);
        if (missing is not null)
        {
            failure = missing;
            return false;
        }

        kind = WebhookVerificationFailure.MalformedHeader;

        var header = found.Signature.AsSpan();
        var separator = scheme == SignatureScheme.Zitadel ? ',' : ' ';
        var maxSignatures = header.Count(separator) + 1;
        byte[]? rentedSignatures = null;
        var signatureBuffer = maxSignatures <= StackSignatures
            ? stackalloc byte[StackSignatures * WebhookHmac.MacBytes]
            : (rentedSignatures = ArrayPool<byte>.Shared.Rent(maxSignatures * WebhookHmac.MacBytes));
        try
        {
            int signatureCount;
            if (scheme == SignatureScheme.Zitadel)
            {
                if (!TryParseZitadel(header, signatureBuffer, out timestamp, out signatureCount, out failure))
                {
                    return false;
                }
            }
            else if (!TryParseSeconds(found.Timestamp.AsSpan().Trim(), out timestamp))
            {
                failure = $"The {WebhookSigner.WebhookTimestampHeader} header '{Echo(found.Timestamp)}' is not a non-negative whole number of Unix seconds; the sender must send the time of signing as seconds since 1970-01-01T00:00:00Z.";
                return false;
            }
            else if (!TryParseStandard(header, signatureBuffer, out signatureCount, out failure))
            {
                return false;
            }

            if (!TryCheckTimestamp(timestamp, out kind, out failure))
            {
                return false;
            }

            Span<byte> stackContent = stackalloc byte[WebhookHmac.StackContentBytes];
            var content = WebhookHmac.BuildContent(scheme, found.Id, timestamp, body, stackContent, out var rentedContent);
            try
            {
                if (AnyMatches(scheme, keys, content, signatureBuffer[..(signatureCount * WebhookHmac.MacBytes)]))
                {
                    kind = WebhookVerificationFailure.None;
                    failure = null;
                    return true;
                }
            }
            finally
            {
                WebhookHmac.Return(rentedContent);
            }

            var headerName = scheme == SignatureScheme.Zitadel ? WebhookSigner.ZitadelSignatureHeader : WebhookSigner.WebhookSignatureHeader;
            var configured = keys.Length == 1 ? "the configured signing key" : $"any of the {keys.Length} configured signing keys";
            kind = WebhookVerificationFailure.NoMatch;
            failure = $"No v1 signature in the {headerName} header matches {configured}; configure the receiver with the target's current signing key, and verify the body exactly as received.";
            return false;
        }
        finally
        {
            if (rentedSignatures is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedSignatures);
            }
        }
    }

    private static string? Missing(SignatureScheme scheme, FoundHeaders found)
    {
        if (scheme == SignatureScheme.Zitadel)
        {
            return string.IsNullOrWhiteSpace(found.Signature)
                ? $"The request has no {WebhookSigner.ZitadelSignatureHeader} header; the sender must sign each request with the target's signing key."
                : null;
        }

        var missingId = string.IsNullOrWhiteSpace(found.Id);
        var missingTimestamp = string.IsNullOrWhiteSpace(found.Timestamp);
        var missingSignature = string.IsNullOrWhiteSpace(found.Signature);
        if (!missingId && !missingTimestamp && !missingSignature)
        {
            return null;
        }

        List<string> names = [];
        if (missingId)
        {
            names.Add(WebhookSigner.WebhookIdHeader);
        }

        if (missingTimestamp)
        {
            names.Add(WebhookSigner.WebhookTimestampHeader);
        }

        if (missingSignature)
        {
            names.Add(WebhookSigner.WebhookSignatureHeader);
        }

        var list = names.Count == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
        return $"The request has no {list} header; a Standard Webhooks sender sends {WebhookSigner.WebhookIdHeader}, {WebhookSigner.WebhookTimestampHeader} and {WebhookSigner.WebhookSignatureHeader}.";
    }

    private static bool TryParseZitadel(
        ReadOnlySpan<char> header,
        Span<byte> signatures,
        out long timestamp,
        out int signatureCount,
        [NotNullWhen(false)] out string? failure)
    {
        timestamp = 0;
        signatureCount = 0;
        var hasTimestamp = false;
        var v1Count = 0;
        foreach (var range in header.Split(','))
        {
            var part = header[range].Trim();
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                failure = ZitadelMalformed($"the part '{Echo(part)}' is not of the form name=value");
                return false;
            }

            var name = part[..equals];
            var value = part[(equals + 1)..];
            if (name.SequenceEqual("t"))
            {
                if (hasTimestamp)
                {
                    failure = ZitadelMalformed("it has more than one t= timestamp");
                    return false;
                }

                if (!TryParseSeconds(value, out timestamp))
                {
                    failure = ZitadelMalformed($"the timestamp '{Echo(value)}' is not a non-negative whole number of Unix seconds");
                    return false;
                }

                hasTimestamp = true;
            }
            else if (name.SequenceEqual("v1"))
            {
                v1Count++;

                // A value that is not 32 bytes of hex cannot match; it is skipped rather than failing the header.
                if (value.Length == WebhookHmac.MacBytes * 2
                    && Convert.FromHexString(value, signatures.Slice(signatureCount * WebhookHmac.MacBytes, WebhookHmac.MacBytes), out _, out _) == OperationStatus.Done)
                {
                    signatureCount++;
                }
            }
        }

        if (!hasTimestamp)
        {
            failure = ZitadelMalformed("it has no t= timestamp");
            return false;
        }

        if (v1Count == 0)
        {
            failure = ZitadelMalformed("it has no v1= signature");
            return false;
        }

        failure = null;
        return true;
    }

    private static string ZitadelMalformed(string reason) =>
        $"The {WebhookSigner.ZitadelSignatureHeader} header is malformed: {reason}; expected 't=<unix seconds>,v1=<hex HMAC-SHA256>'.";

    private static bool TryParseStandard(
        ReadOnlySpan<char> header,
        Span<byte> signatures,
        out int signatureCount,
        [NotNullWhen(false)] out string? failure)
    {
        signatureCount = 0;
        var v1Count = 0;
        foreach (var range in header.Split(' '))
        {
            var entry = header[range];
            if (entry.IsEmpty)
            {
                continue;
            }

            var comma = entry.IndexOf(',');
            if (comma <= 0)
            {
                failure = $"The {WebhookSigner.WebhookSignatureHeader} header is malformed: the entry '{Echo(entry)}' is not of the form '<version>,<signature>'; expected space-separated entries such as 'v1,<base64 HMAC-SHA256>'.";
                return false;
            }

            if (!entry[..comma].SequenceEqual("v1"))
            {
                continue;
            }

            v1Count++;

            // A value that is not the base64 of 32 bytes cannot match; it is skipped rather than failing the header.
            var destination = signatures.Slice(signatureCount * WebhookHmac.MacBytes, WebhookHmac.MacBytes);
            if (Convert.TryFromBase64Chars(entry[(comma + 1)..], destination, out var written) && written == WebhookHmac.MacBytes)
            {
                signatureCount++;
            }
        }

        if (v1Count == 0)
        {
            failure = $"The {WebhookSigner.WebhookSignatureHeader} header has no v1 signature; expected space-separated entries such as 'v1,<base64 HMAC-SHA256>'.";
            return false;
        }

        failure = null;
        return true;
    }

    private static bool TryParseSeconds(ReadOnlySpan<char> value, out long seconds) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seconds);

    private bool TryCheckTimestamp(long timestamp, out WebhookVerificationFailure kind, [NotNullWhen(false)] out string? failure)
    {
        kind = WebhookVerificationFailure.Stale;
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var age = (Int128)now - timestamp;
        var tolerance = _tolerance.TotalSeconds;
        if ((double)age > tolerance)
        {
            failure = string.Create(
                CultureInfo.InvariantCulture,
                $"The signature timestamp {timestamp} is {age} seconds old, beyond the tolerance of {tolerance} seconds; the request is stale (possibly replayed), or the sender's clock is behind.");
            return false;
        }

        if ((double)-age > tolerance)
        {
            kind = WebhookVerificationFailure.Future;
            failure = string.Create(
                CultureInfo.InvariantCulture,
                $"The signature timestamp {timestamp} is {-age} seconds in the future, beyond the tolerance of {tolerance} seconds; the sender's clock is ahead, or the timestamp was altered.");
            return false;
        }

        kind = WebhookVerificationFailure.None;
        failure = null;
        return true;
    }

    private static bool AnyMatches(SignatureScheme scheme, ReadOnlySpan<string> keys, ReadOnlySpan<byte> content, ReadOnlySpan<byte> signatures)
    {
        Span<byte> expected = stackalloc byte[WebhookHmac.MacBytes];
        var matched = false;
        foreach (var key in keys)
        {
            WebhookHmac.Compute(scheme, key, content, expected);

            // Every comparison runs, so the time taken does not tell which key or signature matched.
            for (var offset = 0; offset < signatures.Length; offset += WebhookHmac.MacBytes)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected, signatures.Slice(offset, WebhookHmac.MacBytes));
            }
        }

        CryptographicOperations.ZeroMemory(expected);
        return matched;
    }

    private static string Echo(ReadOnlySpan<char> text) =>
        text.Length <= MaxEchoedChars ? text.ToString() : string.Concat(text[..MaxEchoedChars], "…");

    private readonly record struct FoundHeaders(string? Signature, string? Id, string? Timestamp, string? Duplicate = null);
}
