using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ActionExec.Targets;
using ActionExec.Tests.Support;

namespace ActionExec.Tests.Targets;

public sealed class PublicKeyPemTests
{
    // RFC 8410's example Ed25519 public key: a valid SubjectPublicKeyInfo that is neither RSA nor EC.
    private const string Ed25519Pem = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
        -----END PUBLIC KEY-----
        """;

    [Fact]
    public void Parse_Rsa2048_IsAcceptedWithTheFingerprintOfItsDer()
    {
        var pem = TestKeys.RsaPem;

        var key = PublicKeyPem.Parse(pem, out var problem);

        Assert.Null(problem);
        Assert.NotNull(key);
        Assert.Equal(PublicKeyAlgorithm.Rsa, key.Algorithm);
        Assert.Equal(TestKeys.FingerprintOf(pem), key.Fingerprint);
        Assert.StartsWith("SHA256:", key.Fingerprint, StringComparison.Ordinal);
        Assert.DoesNotContain('=', key.Fingerprint);
        Assert.Equal(50, key.Fingerprint.Length);
        Assert.Equal(pem, key.Pem);
    }

    [Theory]
    [InlineData("nistP256")]
    [InlineData("nistP384")]
    [InlineData("nistP521")]
    public void Parse_EcOnANistCurve_IsAccepted(string curve)
    {
        var pem = TestKeys.EcPem(ECCurve.CreateFromFriendlyName(curve));

        var key = PublicKeyPem.Parse(pem, out var problem);

        Assert.Null(problem);
        Assert.Equal(PublicKeyAlgorithm.EC, key!.Algorithm);
        Assert.Equal(TestKeys.FingerprintOf(pem), key.Fingerprint);
    }

    [Fact]
    public void Parse_Pkcs1RsaPublicKey_IsAcceptedAndKeptAsSubjectPublicKeyInfo()
    {
        var pkcs1 = PemEncoding.WriteString("RSA PUBLIC KEY", TestKeys.Rsa.ExportRSAPublicKey());

        var key = PublicKeyPem.Parse(pkcs1, out var problem);

        Assert.Null(problem);
        Assert.Equal(TestKeys.RsaPem, key!.Pem);
        Assert.Equal(TestKeys.FingerprintOf(TestKeys.RsaPem), key.Fingerprint);
    }

    [Fact]
    public void Parse_TextAroundTheBlock_IsAcceptedAndNotKept()
    {
        var key = PublicKeyPem.Parse("my key:\n" + TestKeys.P256Pem + "\n(made today)\n", out var problem);

        Assert.Null(problem);
        Assert.Equal(TestKeys.P256Pem, key!.Pem);
    }

    [Fact]
    public void Parse_Rsa1024_IsRefusedNamingTheSize()
    {
        var key = PublicKeyPem.Parse(TestKeys.RsaPemOf(1024), out var problem);

        Assert.Null(key);
        Assert.Contains("1024 bits", problem, StringComparison.Ordinal);
        Assert.Contains("2048", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EcOnAnotherCurve_IsRefusedNamingTheCurves()
    {
        string pem;
        try
        {
            pem = TestKeys.EcPem(ECCurve.CreateFromFriendlyName("secP256k1"));
        }
        catch (PlatformNotSupportedException)
        {
            pem = TestKeys.EcPem(ECCurve.NamedCurves.brainpoolP256r1);
        }

        var key = PublicKeyPem.Parse(pem, out var problem);

        Assert.Null(key);
        Assert.Contains("P-256, P-384 or P-521", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Ed25519_IsRefusedAsNeitherRsaNorEc()
    {
        var key = PublicKeyPem.Parse(Ed25519Pem, out var problem);

        Assert.Null(key);
        Assert.Contains("neither an RSA nor an EC key", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("not a key")]
    [InlineData("-----BEGIN PUBLIC KEY-----\n!!!not base64!!!\n-----END PUBLIC KEY-----")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")]
    public void Parse_Garbage_IsRefused(string text)
    {
        var key = PublicKeyPem.Parse(text, out var problem);

        Assert.Null(key);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void Parse_PrivateKeys_AreRefusedWhateverTheirForm()
    {
        string[] privates =
        [
            TestKeys.Rsa.ExportPkcs8PrivateKeyPem(),
            TestKeys.Rsa.ExportRSAPrivateKeyPem(),
            TestKeys.P256.ExportECPrivateKeyPem(),
            TestKeys.RsaPem + "\n" + TestKeys.Rsa.ExportPkcs8PrivateKeyPem(),
            TestKeys.RsaPem + "\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
        ];

        foreach (var text in privates)
        {
            var key = PublicKeyPem.Parse(text, out var problem);

            Assert.Null(key);
            Assert.Contains("private key", problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_TwoBlocks_IsRefused()
    {
        var key = PublicKeyPem.Parse(TestKeys.RsaPem + "\n" + TestKeys.P256Pem, out var problem);

        Assert.Null(key);
        Assert.Contains("2 PEM blocks", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Certificate_IsRefusedSayingHowToGetItsPublicKey()
    {
        var request = new CertificateRequest("CN=target", TestKeys.P256, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var key = PublicKeyPem.Parse(certificate.ExportCertificatePem(), out var problem);

        Assert.Null(key);
        Assert.Contains("certificate", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OtherLabel_IsRefusedNamingIt()
    {
        var pem = TestKeys.RsaPem.Replace("PUBLIC KEY", "SOMETHING ELSE", StringComparison.Ordinal);

        var key = PublicKeyPem.Parse(pem, out var problem);

        Assert.Null(key);
        Assert.Contains("'SOMETHING ELSE'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExactlyMaxBytes_IsAcceptedAndOneMoreIsRefused()
    {
        var pem = TestKeys.RsaPem;
        var atLimit = pem + "\n" + new string(' ', PublicKeyPem.MaxBytes - Encoding.UTF8.GetByteCount(pem) - 1);
        Assert.Equal(PublicKeyPem.MaxBytes, Encoding.UTF8.GetByteCount(atLimit));

        var accepted = PublicKeyPem.Parse(atLimit, out var none);
        var refused = PublicKeyPem.Parse(atLimit + " ", out var problem);

        Assert.Null(none);
        Assert.NotNull(accepted);
        Assert.Null(refused);
        Assert.Contains("8193 bytes", problem, StringComparison.Ordinal);
        Assert.Contains("8192", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_AcceptedKeys_GiveAnRsaOrAnEcdsaOfTheSameKey()
    {
        using var rsa = Assert.IsAssignableFrom<RSA>(PublicKeyPem.Import(TestKeys.RsaPem));
        using var ec = Assert.IsAssignableFrom<ECDsa>(PublicKeyPem.Import(TestKeys.P256Pem));

        Assert.Equal(TestKeys.Rsa.ExportSubjectPublicKeyInfo(), rsa.ExportSubjectPublicKeyInfo());
        Assert.Equal(TestKeys.P256.ExportSubjectPublicKeyInfo(), ec.ExportSubjectPublicKeyInfo());
    }
}
