using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>
/// What Microsoft.IdentityModel 8.23.0 lacks to read the JWE a sender of ZITADEL's kind sends, added through its own extension
/// point (a custom crypto provider): unwrapping a content key with <c>RSA-OAEP-256</c>, and <c>A256GCM</c> content decryption
/// (its own is Windows-only). The JWE format, the ECDH-ES key agreement and the AES key unwrap stay Microsoft.IdentityModel's.
/// </summary>
internal sealed class JweAlgorithms : ICryptoProvider
{
    public const string RsaOaep256 = "RSA-OAEP-256";

    public const string A256Gcm = "A256GCM";

    /// <summary>A factory that uses these algorithms and Microsoft.IdentityModel's own for everything else.</summary>
    public static CryptoProviderFactory CreateFactory() => new() { CustomCryptoProvider = new JweAlgorithms() };

    public bool IsSupportedAlgorithm(string algorithm, params object[] args) => algorithm switch
    {
        RsaOaep256 => args.Length > 0 && args[0] is RsaSecurityKey,
        A256Gcm => args.Length > 0 && args[0] is SymmetricSecurityKey,
        _ => false,
    };

    public object Create(string algorithm, params object[] args) => string.Equals(algorithm, A256Gcm, StringComparison.Ordinal)
        ? new AesGcmDecryption((SymmetricSecurityKey)args[0])
        : new RsaOaep256Unwrap((RsaSecurityKey)args[0]);

    public void Release(object cryptoInstance) => (cryptoInstance as IDisposable)?.Dispose();

    private sealed class RsaOaep256Unwrap(RsaSecurityKey key) : KeyWrapProvider
    {
        public override string Algorithm => RsaOaep256;

        public override string? Context { get; set; }

        public override SecurityKey Key => key;

        public override byte[] UnwrapKey(byte[] keyBytes) => key.Rsa.Decrypt(keyBytes, RSAEncryptionPadding.OaepSHA256);

        public override byte[] WrapKey(byte[] keyBytes) => throw new NotSupportedException("A receiver only unwraps content keys.");

        protected override void Dispose(bool disposing)
        {
        }
    }

    private sealed class AesGcmDecryption(SymmetricSecurityKey key) : AuthenticatedEncryptionProvider(key, A256Gcm)
    {
        private const int TagBytes = 16;

        public override byte[] Decrypt(byte[] ciphertext, byte[] authenticatedData, byte[] iv, byte[] authenticationTag)
        {
            if (authenticationTag.Length != TagBytes)
            {
                throw new SecurityTokenDecryptionFailedException("The authentication tag is not 16 bytes long.");
            }

            var plaintext = new byte[ciphertext.Length];
            using var gcm = new AesGcm(key.Key, TagBytes);
            gcm.Decrypt(iv, ciphertext, authenticationTag, plaintext, authenticatedData);
            return plaintext;
        }

        public override AuthenticatedEncryptionResult Encrypt(byte[] plaintext, byte[] authenticatedData) =>
            throw new NotSupportedException("A receiver only decrypts.");

        public override AuthenticatedEncryptionResult Encrypt(byte[] plaintext, byte[] authenticatedData, byte[] iv) =>
            throw new NotSupportedException("A receiver only decrypts.");
    }
}
