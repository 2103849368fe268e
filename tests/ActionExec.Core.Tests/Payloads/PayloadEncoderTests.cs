using System.Text;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Payloads;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Tests.Payloads;

public sealed class PayloadEncoderTests
{
    private const string Endpoint = "https://receiver.example/hook";
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);

    [Fact]
    public void TryEncode_Json_ReturnsTheSameBytes()
    {
        var payload = Bytes("""{"a":1}""");

        Assert.True(Encoder(null).TryEncode(Target(PayloadType.Json), payload, out var encoded, out var problem));

        Assert.Null(problem);
        Assert.True(encoded.Equals(new ReadOnlyMemory<byte>(payload)), "JSON is passed on as the same memory, not a copy.");
    }

    [Theory]
    [InlineData(PayloadType.Jwt, "jwt")]
    [InlineData(PayloadType.Jwe, "jwe")]
    public void TryEncode_NoSigningKeys_FailsNamingTheFixAndSendsNothing(PayloadType type, string name)
    {
        Assert.False(Encoder(null).TryEncode(Target(type), Bytes("{}"), out var encoded, out var problem));

        Assert.True(encoded.IsEmpty);
        Assert.StartsWith($"its payload type is {name}, ", problem, StringComparison.Ordinal);
        Assert.Contains("the host has no payload signing keys; register them with AddPayloadSigningKeys", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryEncode_JweWithoutAnActivePublicKey_FailsWithoutAPlaintextFallback()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("host-1"));

        Assert.False(Encoder(keys).TryEncode(Target(PayloadType.Jwe), Bytes("""{"secret":"s"}"""), out var encoded, out var problem));

        Assert.True(encoded.IsEmpty);
        Assert.Contains("no active public key", problem, StringComparison.Ordinal);
        Assert.Contains("add a public key to target 't-1'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullTimeOrOptions_ThrowsArgumentNull()
    {
        var options = Options.Create(new DispatchOptions());

        Assert.Equal("time", Assert.Throws<ArgumentNullException>(() => new PayloadEncoder(null!, options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new PayloadEncoder(_time, null!)).ParamName);
    }

    [Fact]
    public void TryEncode_JwtAfterARotation_SignsWithTheNewKey()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("host-1"));
        var encoder = Encoder(keys);
        Assert.True(encoder.TryEncode(Target(PayloadType.Jwt), Bytes("{}"), out var before, out _));

        keys.Rotate(TestKeys.NewEc("host-2"));
        Assert.True(encoder.TryEncode(Target(PayloadType.Jwt), Bytes("{}"), out var after, out _));

        Assert.Equal("host-1", IdentityModelReceiver.Header(Encoding.ASCII.GetString(before.Span)).GetProperty("kid").GetString());
        var header = IdentityModelReceiver.Header(Encoding.ASCII.GetString(after.Span));
        Assert.Equal("host-2", header.GetProperty("kid").GetString());
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
    }

    [Fact]
    public void TryEncode_JwtLifetimeWithAFractionOfASecond_RoundsTheExpiryUp()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("host-1"));
        var encoder = Encoder(keys, o => o.PayloadTokenLifetime = TimeSpan.FromMilliseconds(1500));

        Assert.True(encoder.TryEncode(Target(PayloadType.Jwt), Bytes("{}"), out var encoded, out _));

        var claims = IdentityModelReceiver.Claims(Encoding.ASCII.GetString(encoded.Span));
        Assert.Equal(Now.ToUnixTimeSeconds() + 2, claims.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task TryEncode_JwtWithRsaKey_IsAJwsThatIdentityModelAcceptsWithTheJwks()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("host-1"));

        Assert.True(Encoder(keys).TryEncode(Target(PayloadType.Jwt), Bytes("""{"fullMethod":"/a.v1.S/M","request":{"x":1}}"""), out var encoded, out _));

        var token = Encoding.ASCII.GetString(encoded.Span);
        var header = IdentityModelReceiver.Header(token);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("host-1", header.GetProperty("kid").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        var result = await IdentityModelReceiver.ValidateAsync(token, Jwks(keys), Endpoint, now: Now);
        Assert.True(result.IsValid, result.Exception?.Message);
        var claims = IdentityModelReceiver.Claims(token);
        Assert.Equal("/a.v1.S/M", claims.GetProperty("fullMethod").GetString());
        Assert.Equal(1, claims.GetProperty("request").GetProperty("x").GetInt32());
        Assert.Equal(Now.ToUnixTimeSeconds(), claims.GetProperty("iat").GetInt64());
        Assert.Equal(Now.AddMinutes(5).ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        Assert.Equal(Endpoint, claims.GetProperty("aud").GetString());
        Assert.False(claims.TryGetProperty("iss", out _));
    }

    [Theory]
    [InlineData("P-256", "ES256")]
    [InlineData("P-384", "ES384")]
    [InlineData("P-521", "ES512")]
    public async Task TryEncode_JwtWithEcKey_SignsWithTheCurvesAlgorithm(string curve, string algorithm)
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewEc("host-ec", curve));

        Assert.True(Encoder(keys).TryEncode(Target(PayloadType.Jwt), Bytes("{}"), out var encoded, out _));

        var token = Encoding.ASCII.GetString(encoded.Span);
        Assert.Equal(algorithm, IdentityModelReceiver.Header(token).GetProperty("alg").GetString());
        var result = await IdentityModelReceiver.ValidateAsync(token, Jwks(keys), Endpoint, now: Now);
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task TryEncode_Jwt_ExpiresAfterTheConfiguredLifetime()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("host-1"));
        var encoder = Encoder(keys, o => o.PayloadTokenLifetime = TimeSpan.FromMinutes(1));
        Assert.True(encoder.TryEncode(Target(PayloadType.Jwt), Bytes("{}"), out var encoded, out _));
        var token = Encoding.ASCII.GetString(encoded.Span);

        var inTime = await IdentityModelReceiver.ValidateAsync(token, Jwks(keys), Endpoint, now: Now.AddSeconds(59));
        var late = await IdentityModelReceiver.ValidateAsync(token, Jwks(keys), Endpoint, now: Now.AddSeconds(61));

        Assert.True(inTime.IsValid, inTime.Exception?.Message);
        Assert.False(late.IsValid);
        Assert.IsType<SecurityTokenInvalidLifetimeException>(late.Exception);
    }

    [Fact]
    public async Task TryEncode_Jwt_IsRejectedWithAnotherHostsKeysOrAnotherAudienceOrWhenTampered()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("host-1"));
        var stranger = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("host-1"));
        Assert.True(Encoder(keys).TryEncode(Target(PayloadType.Jwt), Bytes("""{"amount":10}"""), out var encoded, out _));
        var token = Encoding.ASCII.GetString(encoded.Span);
        var parts = token.Split('.');
        var forged = Base64UrlEncoder.Encode(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("10", "99", StringComparison.Ordinal));
        var tampered = string.Join('.', parts[0], forged, parts[2]);

        var wrongKey = await IdentityModelReceiver.ValidateAsync(token, Jwks(stranger), Endpoint, now: Now);
        var wrongAudience = await IdentityModelReceiver.ValidateAsync(token, Jwks(keys), "https://other.example/hook", now: Now);
        var changed = await IdentityModelReceiver.ValidateAsync(tampered, Jwks(keys), Endpoint, now: Now);

        Assert.IsType<SecurityTokenInvalidSignatureException>(wrongKey.Exception);
        Assert.IsType<SecurityTokenInvalidAudienceException>(wrongAudience.Exception);
        Assert.IsType<SecurityTokenInvalidSignatureException>(changed.Exception);
    }

    [Fact]
    public void AddClaims_Issuer_IsAddedBeforeThePayloadsMembers()
    {
        var claims = PayloadEncoder.AddClaims(Bytes("""{"a":1}"""), 10, 20, "https://r.example/h", "https://host.example");

        Assert.Equal("""{"iat":10,"exp":20,"aud":"https://r.example/h","iss":"https://host.example","a":1}""", claims);
    }

    [Fact]
    public void AddClaims_EmptyObject_HoldsOnlyTheClaims()
    {
        Assert.Equal("""{"iat":10,"exp":20,"aud":"a" }""", PayloadEncoder.AddClaims(Bytes(" { } \n"), 10, 20, "a", null));
    }

    [Fact]
    public void AddClaims_PayloadHasAClaimsName_KeepsThePayloadsValue()
    {
        var claims = PayloadEncoder.AddClaims(Bytes("""{"exp":"never","aud":["x"],"nested":{"iat":1}}"""), 10, 20, "a", null);

        Assert.Equal("""{"iat":10,"exp":"never","aud":["x"],"nested":{"iat":1}}""", claims);
    }

    [Fact]
    public void AddClaims_PayloadHasEveryClaim_AddsNothing()
    {
        var claims = PayloadEncoder.AddClaims(Bytes("""{"iat":1,"exp":2,"aud":"x","iss":"y"} """), 10, 20, "a", "https://host.example");

        Assert.Equal("""{"iat":1,"exp":2,"aud":"x","iss":"y"}""", claims);
    }

    [Fact]
    public void AddClaims_EmptyIssuer_AddsNoIss()
    {
        Assert.Equal("""{"iat":10,"exp":20,"aud":"a","b":2}""", PayloadEncoder.AddClaims(Bytes("""{"b":2}"""), 10, 20, "a", ""));
    }

    [Fact]
    public void AddClaims_NotAnObject_IsSignedAsItIs()
    {
        Assert.Equal("[1,2]", PayloadEncoder.AddClaims(Bytes("[1,2]"), 10, 20, "a", null));
    }

    internal static ResolvedTarget Target(PayloadType type, string endpoint = Endpoint) => new(
        new Target { Id = "t-1", Name = "hook", Endpoint = endpoint, Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(5), PayloadType = type },
        new Uri(endpoint),
        "");

    internal static string Jwks(IPayloadSigningKeyProvider keys) => Encoding.UTF8.GetString(PayloadKeys.WriteJwks(keys.PublishedKeys));

    private PayloadEncoder Encoder(IPayloadSigningKeyProvider? keys, Action<DispatchOptions>? configure = null)
    {
        var options = new DispatchOptions();
        configure?.Invoke(options);
        return new PayloadEncoder(_time, Options.Create(options), keys);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
