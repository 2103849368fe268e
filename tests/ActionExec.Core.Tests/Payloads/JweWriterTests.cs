using System.Text;
using ActionExec.Dispatch;
using ActionExec.Payloads;
using ActionExec.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Tests.Payloads;

public sealed class JweWriterTests
{
    private const string Endpoint = "https://receiver.example/hook";
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryPayloadSigningKeyProvider _hostKeys = new(TestKeys.NewRsa("host-1"));

    [Fact]
    public async Task Encrypt_RsaKey_IsRsaOaep256WithA256GcmThatIdentityModelDecrypts()
    {
        var receiverKey = TestKeys.NewRsa("target-key-1");

        var token = Encrypt("""{"user":"u-1"}""", TestKeys.PublicOf(receiverKey));

        var header = IdentityModelReceiver.Header(token);
        Assert.Equal("RSA-OAEP-256", header.GetProperty("alg").GetString());
        Assert.Equal("A256GCM", header.GetProperty("enc").GetString());
        Assert.Equal("target-key-1", header.GetProperty("kid").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        Assert.Equal("JWT", header.GetProperty("cty").GetString());
        Assert.False(header.TryGetProperty("epk", out _));
        Assert.Equal(5, token.Split('.').Length);
        var result = await IdentityModelReceiver.ValidateAsync(token, Jwks(), Endpoint, [receiverKey], Now);
        Assert.True(result.IsValid, result.Exception?.ToString());
        Assert.Equal("u-1", result.Claims["user"]);
    }

    [Theory]
    [InlineData("P-256")]
    [InlineData("P-384")]
    [InlineData("P-521")]
    public async Task Encrypt_EcKey_IsEcdhEsA256KwWithAnEphemeralKeyThatIdentityModelDecrypts(string curve)
    {
        var receiverKey = TestKeys.NewEc("target-ec", curve);

        var token = Encrypt("""{"user":"u-2"}""", TestKeys.PublicOf(receiverKey));

        var header = IdentityModelReceiver.Header(token);
        Assert.Equal("ECDH-ES+A256KW", header.GetProperty("alg").GetString());
        Assert.Equal("A256GCM", header.GetProperty("enc").GetString());
        Assert.Equal("target-ec", header.GetProperty("kid").GetString());
        var epk = header.GetProperty("epk");
        Assert.Equal("EC", epk.GetProperty("kty").GetString());
        Assert.Equal(curve, epk.GetProperty("crv").GetString());
        Assert.False(epk.TryGetProperty("d", out _));
        var result = await IdentityModelReceiver.ValidateAsync(token, Jwks(), Endpoint, [receiverKey], Now);
        Assert.True(result.IsValid, result.Exception?.ToString());
        Assert.Equal("u-2", result.Claims["user"]);
    }

    [Fact]
    public void Encrypt_SamePayloadTwice_DiffersEachTime()
    {
        var key = TestKeys.PublicOf(TestKeys.NewEc("target-ec"));

        Assert.NotEqual(Encrypt("{}", key), Encrypt("{}", key));
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ec")]
    public async Task Encrypt_AnotherPrivateKeyUnderTheSameKid_IsRejected(string kind)
    {
        var (receiverKey, otherKey) = string.Equals(kind, "rsa", StringComparison.Ordinal)
            ? ((SecurityKey)TestKeys.NewRsa("target-key"), (SecurityKey)TestKeys.NewRsa("target-key"))
            : (TestKeys.NewEc("target-key"), TestKeys.NewEc("target-key"));
        var token = Encrypt("{}", TestKeys.PublicOf(receiverKey));

        var result = await IdentityModelReceiver.ValidateAsync(token, Jwks(), Endpoint, [otherKey], Now);

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task Encrypt_SwappedKid_IsRejected()
    {
        var first = TestKeys.NewRsa("key-a");
        var second = TestKeys.NewRsa("key-b");
        var token = Encrypt("{}", TestKeys.PublicOf(first));
        var header = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[0])).Replace("key-a", "key-b", StringComparison.Ordinal);
        var swapped = Base64UrlEncoder.Encode(header) + token[token.IndexOf('.', StringComparison.Ordinal)..];

        // The receiver holds both keys: the kid now names key-b, which cannot unwrap; and the header is authenticated data.
        var result = await IdentityModelReceiver.ValidateAsync(swapped, Jwks(), Endpoint, [first, second], Now);

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task Encrypt_TamperedCiphertext_IsRejected()
    {
        var receiverKey = TestKeys.NewRsa("target-key-1");
        var parts = Encrypt("""{"amount":10}""", TestKeys.PublicOf(receiverKey)).Split('.');
        var ciphertext = Base64UrlEncoder.DecodeBytes(parts[3]);
        ciphertext[0] ^= 1;
        parts[3] = Base64UrlEncoder.Encode(ciphertext);

        var result = await IdentityModelReceiver.ValidateAsync(string.Join('.', parts), Jwks(), Endpoint, [receiverKey], Now);

        Assert.False(result.IsValid);
    }

    [Fact]
    public void Encrypt_KeyWithoutKeyId_SendsNoKid()
    {
        var recipient = TestKeys.PublicOf(TestKeys.NewEc("target-ec"));
        recipient.KeyId = null;

        var header = IdentityModelReceiver.Header(Encrypt("{}", recipient));

        Assert.False(header.TryGetProperty("kid", out _));
        Assert.Equal("ECDH-ES+A256KW", header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        Assert.Equal("JWT", header.GetProperty("cty").GetString());
    }

    [Fact]
    public void Encrypt_SymmetricKey_IsRefusedNamingTheKey()
    {
        var error = Assert.Throws<ArgumentException>(() => JweWriter.Encrypt("a.b.c"u8, new SymmetricSecurityKey(new byte[32]) { KeyId = "sym" }));

        Assert.Contains("The target key 'sym' is a SymmetricSecurityKey", error.Message, StringComparison.Ordinal);
    }

    private string Encrypt(string payload, SecurityKey recipient)
    {
        var encoder = new PayloadEncoder(new FakeTimeProvider(Now), Options.Create(new DispatchOptions()), _hostKeys);
        var jws = encoder.Sign(Encoding.UTF8.GetBytes(payload), Endpoint, new SigningCredentials(_hostKeys.SigningKey, SecurityAlgorithms.RsaSha256));
        return Encoding.ASCII.GetString(JweWriter.Encrypt(jws, recipient));
    }

    private string Jwks() => PayloadEncoderTests.Jwks(_hostKeys);
}
