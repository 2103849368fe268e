using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Payloads;

/// <summary>
/// The one place that knows which keys sign and encrypt payloads: the algorithm of a key, the checks a signing key must pass,
/// and the public parts of keys written as a JSON Web Key Set (never a private parameter).
/// </summary>
internal static class PayloadKeys
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string P521Oid = "1.3.132.0.35";

    /// <summary>The smallest RSA key that signs or receives payloads.</summary>
    public const int MinRsaBits = 2048;

    /// <summary>The JWS algorithm a valid key signs with: RS256 for RSA, ES256, ES384 or ES512 for the NIST curves.</summary>
    public static string SigningAlgorithm(SecurityKey key) => key switch
    {
        RsaSecurityKey => SecurityAlgorithms.RsaSha256,
        ECDsaSecurityKey ec => CurveName(ec) switch
        {
            "P-384" => SecurityAlgorithms.EcdsaSha384,
            "P-521" => SecurityAlgorithms.EcdsaSha512,
            _ => SecurityAlgorithms.EcdsaSha256,
        },
        _ => throw new ArgumentException($"The key '{key.KeyId}' is a {key.GetType().Name}; give an RsaSecurityKey or an ECDsaSecurityKey.", nameof(key)),
    };

    /// <summary>Checks the keys of a provider, listing every problem: types, sizes, curves, key ids, the signing key's private part.</summary>
    /// <exception cref="ArgumentException">A key is unusable; the message lists every problem and its fix.</exception>
    public static void Validate(SecurityKey signingKey, IReadOnlyList<SecurityKey> published, string parameterName)
    {
        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        Check(signingKey, signing: true);
        foreach (var key in published)
        {
            if (!ReferenceEquals(key, signingKey))
            {
                Check(key, signing: false);
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), parameterName);
        }

        void Check(SecurityKey? key, bool signing)
        {
            var role = signing ? "The signing key" : "A published key";
            if (key is null)
            {
                problems.Add($"{role} is null; give an RsaSecurityKey or an ECDsaSecurityKey.");
                return;
            }

            // "signing key" or "published key" when the key has no id (that is its own problem below), otherwise "key 'id'".
            var name = string.IsNullOrEmpty(key.KeyId) ? (signing ? "signing key" : "published key") : $"key '{key.KeyId}'";
            if (string.IsNullOrEmpty(key.KeyId))
            {
                problems.Add($"{role} has no KeyId; set one (it is sent as the token's kid and names the key in the JWKS).");
            }
            else if (!ids.Add(key.KeyId))
            {
                problems.Add($"The key id '{key.KeyId}' is given twice; every published key needs its own KeyId.");
            }

            switch (key)
            {
                case RsaSecurityKey rsa when rsa.KeySize < MinRsaBits:
                    problems.Add($"The RSA {name} has {rsa.KeySize} bits; give one of at least {MinRsaBits} bits.");
                    break;
                case RsaSecurityKey:
                    break;
                case ECDsaSecurityKey ec when CurveName(ec) is null:
                    problems.Add($"The EC {name} is not on P-256, P-384 or P-521; give a key on one of those curves.");
                    break;
                case ECDsaSecurityKey:
                    break;
                default:
                    problems.Add($"The {name} is a {key.GetType().Name}; give an RsaSecurityKey or an ECDsaSecurityKey.");
                    return;
            }

            if (signing && !CanSign(key))
            {
                var signingName = string.IsNullOrEmpty(key.KeyId) ? "signing key" : $"signing key '{key.KeyId}'";
                problems.Add($"The {signingName} has no private part; give the key pair (only its public part is ever published).");
            }
        }
    }

    /// <summary>Whether the key signs: a probe is signed, which a key without its private part fails, wherever the key lives.</summary>
    private static bool CanSign(SecurityKey key)
    {
        try
        {
            var provider = key.CryptoProviderFactory.CreateForSigning(key, SigningAlgorithm(key));
            try
            {
                return provider.Sign("probe"u8.ToArray()).Length > 0;
            }
            finally
            {
                key.CryptoProviderFactory.ReleaseSignatureProvider(provider);
            }
        }
        catch (Exception e) when (e is CryptographicException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The JWK curve name of a key on a NIST curve; <see langword="null"/> for any other curve.</summary>
    public static string? CurveName(ECDsaSecurityKey key)
    {
        var oid = key.ECDsa.ExportParameters(false).Curve.Oid;
        return (oid?.Value, oid?.FriendlyName) switch
        {
            (P256Oid, _) or (_, "nistP256" or "ECDSA_P256") => "P-256",
            (P384Oid, _) or (_, "nistP384" or "ECDSA_P384") => "P-384",
            (P521Oid, _) or (_, "nistP521" or "ECDSA_P521") => "P-521",
            _ => null,
        };
    }

    /// <summary>Writes the public parts of <paramref name="keys"/> as a JSON Web Key Set (<c>{"keys":[…]}</c>).</summary>
    public static byte[] WriteJwks(IReadOnlyList<SecurityKey> keys)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys"u8);
            foreach (var key in keys)
            {
                WriteKey(writer, key);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteKey(Utf8JsonWriter writer, SecurityKey key)
    {
        switch (key)
        {
            case RsaSecurityKey rsa:
                // Only the modulus and the exponent: ExportParameters(false) never carries a private parameter.
                var parameters = rsa.Rsa?.ExportParameters(false) ?? rsa.Parameters;
                writer.WriteStartObject();
                writer.WriteString("kty"u8, "RSA"u8);
                WriteCommon(writer, key);
                writer.WriteString("n"u8, Base64UrlEncoder.Encode(parameters.Modulus));
                writer.WriteString("e"u8, Base64UrlEncoder.Encode(parameters.Exponent));
                writer.WriteEndObject();
                break;
            case ECDsaSecurityKey ec:
                var point = ec.ECDsa.ExportParameters(false).Q;
                writer.WriteStartObject();
                writer.WriteString("kty"u8, "EC"u8);
                WriteCommon(writer, key);
                writer.WriteString("crv"u8, CurveName(ec));
                writer.WriteString("x"u8, Base64UrlEncoder.Encode(point.X));
                writer.WriteString("y"u8, Base64UrlEncoder.Encode(point.Y));
                writer.WriteEndObject();
                break;
            default:
                // A provider's keys were validated when it was built; a host's own provider may still return anything.
                throw new CryptographicException($"The published key '{key.KeyId}' is a {key.GetType().Name}; only RSA and EC keys can be published.");
        }
    }

    private static void WriteCommon(Utf8JsonWriter writer, SecurityKey key)
    {
        writer.WriteString("use"u8, "sig"u8);
        writer.WriteString("alg"u8, SigningAlgorithm(key));
        writer.WriteString("kid"u8, key.KeyId);
    }
}
