using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Tests.Support;

/// <summary>
/// A receiver of JWT and JWE payloads written directly on Microsoft.IdentityModel's validation, independently of the library's code:
/// <see cref="JsonWebTokenHandler.ValidateTokenAsync(string, TokenValidationParameters)"/> with the sender's JWKS, the expected audience
/// and the receiver's private keys. Three things Microsoft.IdentityModel 8.23.0 lacks are added the way its extension points allow
/// (a custom crypto provider): an RSA-OAEP-256 key unwrap, A256GCM decryption off Windows (its own calls Windows' BCrypt), and the
/// ECDH-ES ephemeral key, which it reads from the validation parameters rather than from the token's <c>epk</c> header.
/// </summary>
public static class IdentityModelReceiver
{
    /// <summary>Validates a JWT, or decrypts a JWE and validates the JWT inside.</summary>
    /// <param name="token">The compact token as received.</param>
    /// <param name="jwks">The sender's JSON Web Key Set.</param>
    /// <param name="audience">The audience the receiver expects (its endpoint).</param>
    /// <param name="decryptionKeys">The receiver's private keys, each with its key id; none for a JWT.</param>
    /// <param name="now">The receiver's clock; the system clock when null.</param>
    public static async Task<TokenValidationResult> ValidateAsync(
        string token,
        string jwks,
        string audience,
        IReadOnlyList<SecurityKey>? decryptionKeys = null,
        DateTimeOffset? now = null)
    {
        var keySet = new JsonWebKeySet(jwks);
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = keySet.GetSigningKeys(),
            ValidAudience = audience,
            ValidateIssuer = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            TryAllIssuerSigningKeys = false,
        };
        if (now is { } clock)
        {
            parameters.LifetimeValidator = (notBefore, expires, _, _) => expires is { } e && e > clock.UtcDateTime && (notBefore is null || notBefore <= clock.UtcDateTime);
        }

        if (decryptionKeys is { Count: > 0 })
        {
            var prepared = decryptionKeys.Select(Prepare).ToArray();

            // The token's kid chooses the key: a token whose kid names no key of the receiver is not decrypted with another one.
            parameters.TokenDecryptionKeyResolver = (_, _, kid, _) => prepared.Where(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));
            parameters.TokenDecryptionKey = EphemeralKey(token);
            parameters.CryptoProviderFactory = Factory();
        }

        return await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);
    }

    /// <summary>Reads the compact token's protected header.</summary>
    public static JsonElement Header(string token)
    {
        var encoded = token[..token.IndexOf('.', StringComparison.Ordinal)];
        return JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(encoded)).RootElement.Clone();
    }

    /// <summary>Reads the claims of a compact JWS without checking anything.</summary>
    public static JsonElement Claims(string jws) => JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jws.Split('.')[1])).RootElement.Clone();

    private static SecurityKey Prepare(SecurityKey key)
    {
        if (key is RsaSecurityKey rsa)
        {
            return new RsaSecurityKey(rsa.Rsa) { KeyId = rsa.KeyId, CryptoProviderFactory = Factory() };
        }

        return key;
    }

    private static CryptoProviderFactory Factory() => new() { CustomCryptoProvider = new MissingAlgorithms() };

    private static ECDsaSecurityKey? EphemeralKey(string token)
    {
        var header = Header(token);
        if (!header.TryGetProperty("epk", out var epk))
        {
            return null;
        }

        var curve = epk.GetProperty("crv").GetString() switch
        {
            "P-384" => ECCurve.NamedCurves.nistP384,
            "P-521" => ECCurve.NamedCurves.nistP521,
            _ => ECCurve.NamedCurves.nistP256,
        };
        var point = new ECPoint
        {
            X = Base64UrlEncoder.DecodeBytes(epk.GetProperty("x").GetString()),
            Y = Base64UrlEncoder.DecodeBytes(epk.GetProperty("y").GetString()),
        };
        return new ECDsaSecurityKey(ECDsa.Create(new ECParameters { Curve = curve, Q = point }));
    }

    /// <summary>RSA-OAEP-256 unwrapping and A256GCM decryption, which Microsoft.IdentityModel 8.23.0 lacks (on Linux).</summary>
    private sealed class MissingAlgorithms : ICryptoProvider
    {
        public bool IsSupportedAlgorithm(string algorithm, params object[] args) => algorithm switch
        {
            "RSA-OAEP-256" => args.Length > 0 && args[0] is RsaSecurityKey,
            "A256GCM" => args.Length > 0 && args[0] is SymmetricSecurityKey,
            _ => false,
        };

        public object Create(string algorithm, params object[] args) => string.Equals(algorithm, "A256GCM", StringComparison.Ordinal)
            ? new A256GcmDecryption((SymmetricSecurityKey)args[0])
            : new RsaOaep256Unwrap((RsaSecurityKey)args[0]);

        public void Release(object cryptoInstance)
        {
            (cryptoInstance as IDisposable)?.Dispose();
        }
    }

    private sealed class RsaOaep256Unwrap(RsaSecurityKey key) : KeyWrapProvider
    {
        public override string Algorithm => "RSA-OAEP-256";

        public override string? Context { get; set; }

        public override SecurityKey Key => key;

        public override byte[] UnwrapKey(byte[] keyBytes) => key.Rsa.Decrypt(keyBytes, RSAEncryptionPadding.OaepSHA256);

        public override byte[] WrapKey(byte[] keyBytes) => throw new NotSupportedException("This receiver only unwraps.");

        protected override void Dispose(bool disposing)
        {
        }
    }

    private sealed class A256GcmDecryption(SymmetricSecurityKey key) : AuthenticatedEncryptionProvider(key, "A256GCM")
    {
        public override byte[] Decrypt(byte[] ciphertext, byte[] authenticatedData, byte[] iv, byte[] authenticationTag)
        {
            var plaintext = new byte[ciphertext.Length];
            using var gcm = new System.Security.Cryptography.AesGcm(key.Key, authenticationTag.Length);
            gcm.Decrypt(iv, ciphertext, authenticationTag, plaintext, authenticatedData);
            return plaintext;
        }
    }

    /// <summary>The ASCII string of a token's bytes.</summary>
    public static string Text(byte[] body) => Encoding.ASCII.GetString(body);
}
