using System.Security.Cryptography;

namespace ActionExec.Tests.Support;

/// <summary>Key pairs made once per test run (RSA generation is slow), as PEM text a caller would send.</summary>
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
}
