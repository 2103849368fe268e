using System.Buffers.Text;
using System.Security.Cryptography;

namespace ActionExec.Targets;

/// <summary>Generates signing keys with a cryptographically secure random number generator.</summary>
internal static class SigningKeys
{
    /// <summary>The number of random bytes in a key: 32 (256 bits).</summary>
    public const int KeyBytes = 32;

    /// <summary>The prefix of a Standard Webhooks secret.</summary>
    public const string StandardWebhooksPrefix = "whsec_";

    /// <summary>Generates a new key for <paramref name="scheme"/>.</summary>
    /// <param name="scheme">The signature scheme the key is for.</param>
    /// <returns>
    /// For <see cref="SignatureScheme.Zitadel"/>, 43 base64url characters (256 random bits) whose UTF-8 bytes
    /// are the HMAC key; for <see cref="SignatureScheme.StandardWebhooks"/>, <c>whsec_</c> followed by the
    /// base64 of 32 random bytes.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined <see cref="SignatureScheme"/>.</exception>
    public static string Generate(SignatureScheme scheme)
    {
        if (!Enum.IsDefined(scheme))
        {
            throw new ArgumentOutOfRangeException(nameof(scheme), scheme, $"The signature scheme {(int)scheme} is unknown; use Zitadel or StandardWebhooks.");
        }

        Span<byte> bytes = stackalloc byte[KeyBytes];
        RandomNumberGenerator.Fill(bytes);
        try
        {
            return scheme == SignatureScheme.StandardWebhooks
                ? StandardWebhooksPrefix + Convert.ToBase64String(bytes)
                : Base64Url.EncodeToString(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
