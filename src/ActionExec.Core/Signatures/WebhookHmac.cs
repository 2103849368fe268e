using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ActionExec.Targets;

namespace ActionExec.Signatures;

/// <summary>
/// The arithmetic shared by <see cref="WebhookSigner"/> and <see cref="WebhookSignatureVerifier"/>: turning a
/// signing key into HMAC key bytes, laying out the signed content and computing the HMAC, with stack or pooled
/// buffers only.
/// </summary>
internal static class WebhookHmac
{
    /// <summary>The length of an HMAC-SHA256 in bytes.</summary>
    public const int MacBytes = HMACSHA256.HashSizeInBytes;

    /// <summary>A stack buffer this large holds the signed content of a small body without renting.</summary>
    public const int StackContentBytes = 1024;

    private const int StackKeyBytes = 256;

    // "-9223372036854775808" is the longest decimal a long can format to.
    private const int MaxInt64Chars = 20;

    /// <summary>Checks that <paramref name="key"/> can be used with <paramref name="scheme"/>, without echoing the secret.</summary>
    /// <exception cref="ArgumentException">The key is null, empty, or a <c>whsec_</c> key whose secret is not base64.</exception>
    public static void ValidateKey(SignatureScheme scheme, string? key, string paramName)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("The signing key is null or empty; use the key that was returned when the target was created or its key was rotated.", paramName);
        }

        if (scheme == SignatureScheme.StandardWebhooks && HasStandardPrefix(key)
            && (!Base64.IsValid(key.AsSpan(SigningKeys.StandardWebhooksPrefix.Length), out var decodedLength) || decodedLength == 0))
        {
            throw new ArgumentException(
                "The signing key starts with 'whsec_' but what follows is not a non-empty base64 secret; use the key exactly as it was generated ('whsec_' followed by the base64 of 32 random bytes).",
                paramName);
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value that is not a defined scheme.</summary>
    public static void ValidateScheme(SignatureScheme scheme, string paramName)
    {
        if (scheme is not (SignatureScheme.Zitadel or SignatureScheme.StandardWebhooks))
        {
            throw new ArgumentOutOfRangeException(
                paramName,
                scheme,
                $"The signature scheme {scheme} is not defined; use {nameof(SignatureScheme.Zitadel)} or {nameof(SignatureScheme.StandardWebhooks)}.");
        }
    }

    /// <summary>
    /// Lays out the signed content: <c>"&lt;t&gt;.&lt;body&gt;"</c> for ZITADEL,
    /// <c>"&lt;id&gt;.&lt;t&gt;.&lt;body&gt;"</c> for Standard Webhooks. Uses <paramref name="stackBuffer"/> when the
    /// content fits; otherwise rents an array that the caller returns with <see cref="Return"/>.
    /// </summary>
    public static ReadOnlySpan<byte> BuildContent(
        SignatureScheme scheme,
        string? id,
        long timestamp,
        ReadOnlySpan<byte> body,
        Span<byte> stackBuffer,
        out byte[]? rented)
    {
        var prefixBytes = MaxInt64Chars + 1;
        if (scheme == SignatureScheme.StandardWebhooks)
        {
            prefixBytes = checked(prefixBytes + Encoding.UTF8.GetByteCount(id ?? string.Empty) + 1);
        }

        var length = checked(prefixBytes + body.Length);
        rented = null;
        var buffer = length <= stackBuffer.Length ? stackBuffer : (rented = ArrayPool<byte>.Shared.Rent(length));

        var position = 0;
        if (scheme == SignatureScheme.StandardWebhooks)
        {
            position += Encoding.UTF8.GetBytes(id ?? string.Empty, buffer);
            buffer[position++] = (byte)'.';
        }

        timestamp.TryFormat(buffer[position..], out var written, default, CultureInfo.InvariantCulture);
        position += written;
        buffer[position++] = (byte)'.';
        body.CopyTo(buffer[position..]);
        position += body.Length;
        return buffer[..position];
    }

    /// <summary>Returns an array rented by <see cref="BuildContent"/>, if any.</summary>
    public static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Computes HMAC-SHA256 of <paramref name="content"/> with the HMAC key derived from <paramref name="key"/>
    /// (see <see cref="WebhookSigner"/> for the derivation), and wipes the derived key afterwards.
    /// </summary>
    public static void Compute(SignatureScheme scheme, string key, ReadOnlySpan<byte> content, Span<byte> mac)
    {
        var maxKeyBytes = HasStandardPrefix(scheme, key)
            ? Base64.GetMaxDecodedFromUtf8Length(key.Length - SigningKeys.StandardWebhooksPrefix.Length)
            : Encoding.UTF8.GetMaxByteCount(key.Length);

        byte[]? rented = null;
        var buffer = maxKeyBytes <= StackKeyBytes ? stackalloc byte[StackKeyBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxKeyBytes));
        var keyLength = 0;
        try
        {
            keyLength = WriteKey(scheme, key, buffer);
            HMACSHA256.HashData(buffer[..keyLength], content, mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer[..keyLength]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int WriteKey(SignatureScheme scheme, string key, Span<byte> destination)
    {
        if (!HasStandardPrefix(scheme, key))
        {
            return Encoding.UTF8.GetBytes(key, destination);
        }

        if (!Convert.TryFromBase64Chars(key.AsSpan(SigningKeys.StandardWebhooksPrefix.Length), destination, out var written))
        {
            throw new ArgumentException(
                "The signing key starts with 'whsec_' but what follows is not valid base64; use the key exactly as it was generated.",
                nameof(key));
        }

        return written;
    }

    private static bool HasStandardPrefix(SignatureScheme scheme, string key) =>
        scheme == SignatureScheme.StandardWebhooks && HasStandardPrefix(key);

    private static bool HasStandardPrefix(string key) =>
        key.StartsWith(SigningKeys.StandardWebhooksPrefix, StringComparison.Ordinal);
}
