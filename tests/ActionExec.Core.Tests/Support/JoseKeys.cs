using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Tests.Support;

/// <summary>Key pairs for JWT and JWE tests, generated per call.</summary>
public static class JoseKeys
{
    public static RsaSecurityKey Rsa(string keyId, int bits = 2048) => new(RSA.Create(bits)) { KeyId = keyId };

    public static ECDsaSecurityKey Ec(string keyId, string curve = "P-256") => new(ECDsa.Create(curve switch
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
