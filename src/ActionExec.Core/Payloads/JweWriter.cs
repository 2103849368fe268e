using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Payloads;

/// <summary>
/// Encrypts a signed JWT as a compact JWE to a target's public key: <c>RSA-OAEP-256</c> for RSA keys, <c>ECDH-ES+A256KW</c> for EC
/// keys, content encrypted with <c>A256GCM</c>, and the protected header <c>alg</c>, <c>enc</c>, <c>kid</c> (the target key's id),
/// <c>typ</c> and <c>cty</c> (both <c>JWT</c>), plus <c>epk</c> for ECDH-ES.
/// </summary>
/// <remarks>
/// Microsoft.IdentityModel 8.23.0 cannot produce this JWE: its token handler wraps content keys only for the AES-CBC-HMAC
/// encryptions (IDX10617), encrypts no AES-GCM content (IDX10715) and has no <c>RSA-OAEP-256</c> (IDX10615). So the envelope is
/// put together here from Microsoft.IdentityModel's own parts where it has them (the ECDH-ES Concat KDF of
/// <see cref="EcdhKeyExchangeProvider"/>, the AES key wrap of <see cref="SymmetricKeyWrapProvider"/>, base64url) and from .NET's
/// RSA-OAEP-SHA256 and AES-GCM. Microsoft.IdentityModel's validation decrypts what this writes, given the crypto provider the
/// tests add for what it lacks (RSA-OAEP-256 unwrapping, AES-GCM off Windows).
/// </remarks>
internal static class JweWriter
{
    /// <summary>The content encryption.</summary>
    public const string ContentEncryption = "A256GCM";

    /// <summary>The key management algorithm for RSA keys.</summary>
    public const string RsaKeyManagement = "RSA-OAEP-256";

    /// <summary>The key management algorithm for EC keys.</summary>
    public const string EcKeyManagement = "ECDH-ES+A256KW";

    private const int ContentKeyBytes = 32;
    private const int IvBytes = 12;
    private const int TagBytes = 16;

    /// <summary>Encrypts <paramref name="jws"/> to <paramref name="recipient"/>, whose key id is sent as <c>kid</c>.</summary>
    /// <param name="jws">The compact JWS, as ASCII bytes.</param>
    /// <param name="recipient">The target's public key: an <see cref="RsaSecurityKey"/> or an <see cref="ECDsaSecurityKey"/>.</param>
    /// <returns>The compact JWE, as ASCII bytes.</returns>
    /// <exception cref="ArgumentException">The key is neither RSA nor EC on a NIST curve.</exception>
    public static byte[] Encrypt(ReadOnlySpan<byte> jws, SecurityKey recipient)
    {
        var contentKey = RandomNumberGenerator.GetBytes(ContentKeyBytes);
        try
        {
            byte[] encryptedKey;
            byte[] header;
            switch (recipient)
            {
                case RsaSecurityKey rsa:
                    header = WriteHeader(RsaKeyManagement, recipient.KeyId, ephemeral: null);
                    encryptedKey = EncryptWithRsa(rsa, contentKey);
                    break;
                case ECDsaSecurityKey ec when PayloadKeys.CurveName(ec) is { } curve:
                    using (var ephemeral = ECDsa.Create(ec.ECDsa.ExportParameters(false).Curve))
                    {
                        var ephemeralKey = new ECDsaSecurityKey(ephemeral);
                        header = WriteHeader(EcKeyManagement, recipient.KeyId, (ephemeral.ExportParameters(false), curve));
                        EcdhKeyExchangeProvider agreement;

                        // The target's key object is shared by concurrent deliveries, and an ECDsa's members are not documented as thread-safe.
                        lock (ec.ECDsa)
                        {
                            agreement = new EcdhKeyExchangeProvider(ephemeralKey, ec, EcKeyManagement, ContentEncryption);
                        }

                        using var wrap = new SymmetricKeyWrapProvider(agreement.GenerateKdf(), SecurityAlgorithms.Aes256KW);
                        encryptedKey = wrap.WrapKey(contentKey);
                    }

                    break;
                default:
                    throw new ArgumentException($"The target key '{recipient.KeyId}' is a {recipient.GetType().Name}; only RSA keys and EC keys on P-256, P-384 or P-521 can receive a JWE.", nameof(recipient));
            }

            var encodedHeader = Base64UrlEncoder.Encode(header);
            var iv = RandomNumberGenerator.GetBytes(IvBytes);
            var ciphertext = new byte[jws.Length];
            Span<byte> tag = stackalloc byte[TagBytes];
            using (var gcm = new AesGcm(contentKey, TagBytes))
            {
                // The additional authenticated data is the ASCII of the encoded protected header (RFC 7516, section 5.1, step 14).
                gcm.Encrypt(iv, jws, ciphertext, tag, Encoding.ASCII.GetBytes(encodedHeader));
            }

            var compact = string.Join(
                '.',
                encodedHeader,
                Base64UrlEncoder.Encode(encryptedKey),
                Base64UrlEncoder.Encode(iv),
                Base64UrlEncoder.Encode(ciphertext),
                Base64UrlEncoder.Encode(tag.ToArray()));
            return Encoding.ASCII.GetBytes(compact);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }

    private static byte[] EncryptWithRsa(RsaSecurityKey key, byte[] contentKey)
    {
        if (key.Rsa is { } instance)
        {
            // Shared by concurrent deliveries; an RSA's members are not documented as thread-safe.
            lock (instance)
            {
                return instance.Encrypt(contentKey, RSAEncryptionPadding.OaepSHA256);
            }
        }

        using var rsa = RSA.Create(key.Parameters);
        return rsa.Encrypt(contentKey, RSAEncryptionPadding.OaepSHA256);
    }

    private static byte[] WriteHeader(string algorithm, string? keyId, (ECParameters Point, string Curve)? ephemeral)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alg"u8, algorithm);
            writer.WriteString("enc"u8, ContentEncryption);
            if (!string.IsNullOrEmpty(keyId))
            {
                writer.WriteString("kid"u8, keyId);
            }

            writer.WriteString("typ"u8, "JWT"u8);
            writer.WriteString("cty"u8, "JWT"u8);
            if (ephemeral is { } epk)
            {
                writer.WriteStartObject("epk"u8);
                writer.WriteString("kty"u8, "EC"u8);
                writer.WriteString("crv"u8, epk.Curve);
                writer.WriteString("x"u8, Base64UrlEncoder.Encode(epk.Point.Q.X));
                writer.WriteString("y"u8, Base64UrlEncoder.Encode(epk.Point.Q.Y));
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
