using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Samples.WebApi.Hosting;

/// <summary>
/// The key that signs the payloads of the sample's <c>jwt</c> and <c>jwe</c> targets, published at
/// <c>/.well-known/actionexec/jwks.json</c>. <c>ActionExec:Sample:PayloadSigningKeyPath</c> names a PEM file holding an EC
/// (P-256, P-384, P-521) or RSA (2048 bits or more) private key; copies that are one system name the same file, so that a
/// receiver verifies a token whichever copy signed it. Without it the sample makes a P-256 key that lives as long as the process.
/// </summary>
internal static class SamplePayloadSigningKey
{
    public const string PathKey = SampleOptions.SectionName + ":PayloadSigningKeyPath";

    public static SecurityKey Load(IConfiguration configuration)
    {
        var path = configuration[PathKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            return WithThumbprintId(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)));
        }

        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{PathKey} names '{path}', which cannot be read ({e.Message}); give a readable PEM file with an EC or RSA private key, or leave it unset for a key of this process only.",
                e);
        }

        return WithThumbprintId(Import(pem, path));
    }

    private static AsymmetricSecurityKey Import(string pem, string path)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (ArgumentException)
        {
            ec.Dispose();
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (ArgumentException e)
        {
            rsa.Dispose();
            throw new InvalidOperationException(
                $"{PathKey} names '{path}', which holds no EC or RSA private key in PEM; make one with 'openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt'.",
                e);
        }
    }

    private static AsymmetricSecurityKey WithThumbprintId(AsymmetricSecurityKey key)
    {
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
