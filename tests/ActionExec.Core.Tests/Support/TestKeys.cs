using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Tests.Support;

/// <summary>
/// The keys of the tests: key pairs made once per test run (RSA generation is slow), as PEM text a caller would send, and fresh
/// key pairs as security keys for the JWT and JWE tests.
/// </summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> LazyRsa = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazyOtherRsa = new(() => RSA.Create(2048));
    private static readonly Lazy<ECDsa> LazyP256 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>An RSA 2048 key pair.</summary>
    public static RSA Rsa => LazyRsa.Value;

    /// <summary>A second RSA 2048 key pair.</summary>
    public static RSA OtherRsa => LazyOtherRsa.Value;

    /// <summary>An EC P-256 key pair.</summary>
    public static ECDsa P256 => LazyP256.Value;

    /// <summary>The public half of <see cref="Rsa"/> as a PUBLIC KEY block.</summary>
    public static string RsaPem => Rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>The public half of <see cref="OtherRsa"/> as a PUBLIC KEY block.</summary>
    public static string OtherRsaPem => OtherRsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>The public half of <see cref="P256"/> as a PUBLIC KEY block.</summary>
    public static string P256Pem => P256.ExportSubjectPublicKeyInfoPem();

    /// <summary>An EC key on <paramref name="curve"/> as a PUBLIC KEY block.</summary>
    public static string EcPem(ECCurve curve)
    {
        using var key = ECDsa.Create(curve);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>A fresh RSA key of <paramref name="bits"/> as a PUBLIC KEY block.</summary>
    public static string RsaPemOf(int bits)
    {
        using var key = RSA.Create(bits);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>The SHA256: fingerprint of a PUBLIC KEY block, computed independently: the hash of the block's DER, base64 without padding.</summary>
    public static string FingerprintOf(string pem)
    {
        var fields = PemEncoding.Find(pem);
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        return "SHA256:" + Convert.ToBase64String(SHA256.HashData(der)).TrimEnd('=');
    }

    /// <summary>A fresh RSA key pair of <paramref name="bits"/> as a security key named <paramref name="keyId"/>.</summary>
    public static RsaSecurityKey NewRsa(string keyId, int bits = 2048) => new(RSA.Create(bits)) { KeyId = keyId };

    /// <summary>A fresh EC key pair on <paramref name="curve"/> (<c>P-256</c>, <c>P-384</c> or <c>P-521</c>) as a security key named <paramref name="keyId"/>.</summary>
    public static ECDsaSecurityKey NewEc(string keyId, string curve = "P-256") => new(ECDsa.Create(curve switch
    {
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => ECCurve.NamedCurves.nistP256,
    }))
    { KeyId = keyId };

    /// <summary>The public part of a key pair, under the same key id.</summary>
    public static SecurityKey PublicOf(SecurityKey key) => key switch
    {
        RsaSecurityKey rsa => new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = key.KeyId },
        ECDsaSecurityKey ec => new ECDsaSecurityKey(ECDsa.Create(ec.ECDsa.ExportParameters(false))) { KeyId = key.KeyId },
        _ => throw new ArgumentException("Only RSA and EC keys.", nameof(key)),
    };
}
