using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Receiving;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Dispatch;
using ActionExec.Payloads;
using ActionExec.Signatures;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.AspNetCore.Tests.Receiving;

/// <summary>
/// JWT and JWE payloads through the receiver: tokens made by the library's own encoder (signed with a host key, encrypted to the
/// target's public key), signed with the HMAC key as the sender signs them, sent to a loopback <see cref="ReceiverHost"/>; the
/// sender's JWKS is served over loopback too.
/// </summary>
public sealed class ActionReceiverTokenTests : IAsyncLifetime
{
    private const string HmacKey = "hmac-key";
    private const string Issuer = "https://sender.example";
    private const string Audience = "https://receiver.example/hooks/gate";
    private const string Payload = """{"fullMethod":"/demo.v1.GreeterService/SayHello","request":{"name":"Ann"}}""";

    private readonly FakeTimeProvider _senderClock = new(ApiHost.Start);
    private readonly RsaSecurityKey _signing = new(RSA.Create(2048)) { KeyId = "sig-1" };
    private readonly ECDsaSecurityKey _rotated = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "sig-2" };
    private LoopbackReceiver _jwks = null!;

    public async Task InitializeAsync()
    {
        _jwks = await LoopbackReceiver.StartAsync();
        PublishKeys(_signing);
    }

    public async Task DisposeAsync() => await _jwks.DisposeAsync();

    [Fact]
    public async Task Jwt_SignedWithThePublishedKey_HandlerGetsTheClaimsAsPayloadAndBody()
    {
        await using var receiver = await StartAsync(PayloadType.Jwt);
        var token = Jws(_signing, receiver.Url("/hooks/gate"));

        using var response = await SendAsync(receiver, "/hooks/gate", token);
        _senderClock.Advance(TimeSpan.FromSeconds(1));
        using var typed = await SendAsync(receiver, "/hooks/typed", Jws(_signing, receiver.Url("/hooks/gate")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal(PayloadType.Jwt, delivery.PayloadType);
        Assert.Equal(token, delivery.Body.ToArray());
        Assert.Equal("Ann", delivery.Payload.GetProperty("request").GetProperty("name").GetString());
        Assert.Equal(Issuer, delivery.Payload.GetProperty("iss").GetString());
        Assert.Equal(HttpStatusCode.OK, typed.StatusCode);
        Assert.Equal(["Ann"], receiver.Typed);
        Assert.Single(_jwks.RequestsTo("/jwks"));
    }

    [Fact]
    public async Task Jwt_SenderRotatedItsKey_FetchesTheKeySetAgainAndAccepts()
    {
        await using var receiver = await StartAsync(PayloadType.Jwt);
        using var first = await SendAsync(receiver, "/hooks/gate", Jws(_signing, receiver.Url("/hooks/gate")));
        PublishKeys(_signing, _rotated);
        receiver.Clock.Advance(JwksSource.MinRefreshInterval);
        _senderClock.Advance(JwksSource.MinRefreshInterval);

        using var second = await SendAsync(receiver, "/hooks/gate", Jws(_rotated, receiver.Url("/hooks/gate")));
        using var old = await SendAsync(receiver, "/hooks/gate", Jws(_signing, receiver.Url("/hooks/gate")));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(2, _jwks.RequestsTo("/jwks").Count);
    }

    [Fact]
    public async Task Jwt_UnknownKeyIdRepeated_FetchesAtMostOncePerInterval()
    {
        await using var receiver = await StartAsync(PayloadType.Jwt);
        var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "stranger" };

        using var first = await SendAsync(receiver, "/hooks/gate", Jws(stranger, receiver.Url("/hooks/gate")));
        using var second = await SendAsync(receiver, "/hooks/gate", Jws(stranger, receiver.Url("/hooks/gate")));

        var problem = await ProblemAsync(first, "token_invalid");
        Assert.Contains("'stranger'", (string?)problem["detail"], StringComparison.Ordinal);
        await ProblemAsync(second, "token_invalid");
        Assert.Single(_jwks.RequestsTo("/jwks"));
        Assert.Empty(receiver.Deliveries);
    }

    [Fact]
    public async Task Jwt_SignedWithAnotherKeyUnderAPublishedKeyId_Rejected()
    {
        await using var receiver = await StartAsync(PayloadType.Jwt);
        var impostor = new RsaSecurityKey(RSA.Create(2048)) { KeyId = _signing.KeyId };

        using var response = await SendAsync(receiver, "/hooks/gate", Jws(impostor, receiver.Url("/hooks/gate")));

        await ProblemAsync(response, "token_invalid");
    }

    [Fact]
    public async Task Jwt_ClaimsChangedAndSignatureHeaderRecomputed_Rejected()
    {
        await using var receiver = await StartAsync(PayloadType.Jwt);
        var parts = Encoding.ASCII.GetString(Jws(_signing, receiver.Url("/hooks/gate"))).Split('.');
        parts[1] = Base64UrlEncoder.Encode(Base64UrlEncoder.DecodeBytes(parts[1]).AsSpan().ToArray().Select(b => b == (byte)'A' ? (byte)'B' : b).ToArray());

        using var response = await SendAsync(receiver, "/hooks/gate", Encoding.ASCII.GetBytes(string.Join('.', parts)));

        await ProblemAsync(response, "token_invalid");
    }

    [Fact]
    public async Task Jwt_Expired_Rejected()
    {
        await using var receiver = await StartAsync(PayloadType.Jwt);
        var token = Jws(_signing, receiver.Url("/hooks/gate"));
        receiver.Clock.Advance(DispatchOptions.DefaultPayloadTokenLifetime + TimeSpan.FromSeconds(301));

        using var response = await SendAsync(receiver, "/hooks/gate", token);

        var problem = await ProblemAsync(response, "token_invalid");
        Assert.Contains("expired", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://other.example/hooks/gate", Issuer)]
    [InlineData(Audience, "https://someone-else.example")]
    public async Task Jwt_AnotherAudienceOrIssuer_Rejected(string audience, string issuer)
    {
        await using var receiver = await StartAsync(PayloadType.Jwt, o => o.ValidAudience = Audience);
        using var accepted = await SendAsync(receiver, "/hooks/gate", Jws(_signing, Audience));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var token = Jws(_signing, audience, issuer);

        using var response = await SendAsync(receiver, "/hooks/gate", token);

        await ProblemAsync(response, "token_invalid");
    }

    [Fact]
    public async Task Jwt_PlainJsonBody_Rejected()
    {
        await using var receiver = await StartAsync(PayloadType.Jwt);

        using var response = await SendAsync(receiver, "/hooks/gate", Encoding.UTF8.GetBytes(Payload));

        await ProblemAsync(response, "token_invalid");
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ec")]
    public async Task Jwe_EncryptedToTheReceiversKey_DecryptsAndValidates(string kind)
    {
        using var pair = Pair(kind, "enc-1");
        await using var receiver = await StartAsync(PayloadType.Jwe, o => o.DecryptionKeys["enc-1"] = pair.Pem);
        var token = Jwe(pair.Public, Jws(_signing, receiver.Url("/hooks/gate")));

        using var response = await SendAsync(receiver, "/hooks/gate", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal(PayloadType.Jwe, delivery.PayloadType);
        Assert.Equal(token, delivery.Body.ToArray());
        Assert.Equal("Ann", delivery.Payload.GetProperty("request").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Jwe_TwoKeysDuringARotation_EachTokenDecryptedWithTheKeyItsKidNames()
    {
        using var old = Pair("rsa", "enc-old");
        using var current = Pair("ec", "enc-new");
        await using var receiver = await StartAsync(PayloadType.Jwe, o =>
        {
            o.DecryptionKeys["enc-old"] = old.Pem;
            o.DecryptionKeys["enc-new"] = current.Pem;
        });

        using var first = await SendAsync(receiver, "/hooks/gate", Jwe(old.Public, Jws(_signing, receiver.Url("/hooks/gate"))));
        using var second = await SendAsync(receiver, "/hooks/gate", Jwe(current.Public, Jws(_signing, receiver.Url("/hooks/gate"))));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Jwe_UnknownKid_RejectedAsUndecryptable()
    {
        using var pair = Pair("rsa", "enc-1");
        using var other = Pair("rsa", "enc-9");
        await using var receiver = await StartAsync(PayloadType.Jwe, o => o.DecryptionKeys["enc-1"] = pair.Pem);

        using var response = await SendAsync(receiver, "/hooks/gate", Jwe(other.Public, Jws(_signing, receiver.Url("/hooks/gate"))));

        var problem = await ProblemAsync(response, "token_undecryptable");
        Assert.Contains("'enc-9'", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ec")]
    public async Task Jwe_EncryptedToAnotherKeyUnderTheSameKid_RejectedAsUndecryptable(string kind)
    {
        using var pair = Pair(kind, "enc-1");
        using var impostor = Pair(kind, "enc-1");
        await using var receiver = await StartAsync(PayloadType.Jwe, o => o.DecryptionKeys["enc-1"] = pair.Pem);

        using var response = await SendAsync(receiver, "/hooks/gate", Jwe(impostor.Public, Jws(_signing, receiver.Url("/hooks/gate"))));

        await ProblemAsync(response, "token_undecryptable");
        Assert.Empty(receiver.Deliveries);
    }

    [Fact]
    public async Task Jwe_InnerTokenSignedWithAnUnknownKey_Rejected()
    {
        using var pair = Pair("rsa", "enc-1");
        await using var receiver = await StartAsync(PayloadType.Jwe, o => o.DecryptionKeys["enc-1"] = pair.Pem);
        var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "stranger" };

        using var response = await SendAsync(receiver, "/hooks/gate", Jwe(pair.Public, Jws(stranger, receiver.Url("/hooks/gate"))));

        await ProblemAsync(response, "token_invalid");
    }

    [Fact]
    public async Task Jwt_FixedKeySet_ValidatesWithoutFetching()
    {
        var jwks = Encoding.UTF8.GetString(PayloadKeys.WriteJwks([_signing]));
        await using var receiver = await ReceiverHost.StartAsync(o =>
        {
            o.SigningKeys.Add(HmacKey);
            o.PayloadType = PayloadType.Jwt;
            o.IssuerJwks = jwks;
        });

        using var response = await SendAsync(receiver, "/hooks/gate", Jws(_signing, receiver.Url("/hooks/gate")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_jwks.Requests);
    }

    [Fact]
    public async Task Jwt_SignatureHeaderMissing_RejectedBeforeTheToken()
    {
        await using var receiver = await StartAsync(PayloadType.Jwt);
        using var client = new HttpClient { BaseAddress = receiver.BaseAddress };

        using var response = await client.PostAsync("/hooks/gate", new ByteArrayContent(Jws(_signing, receiver.Url("/hooks/gate"))));

        await ProblemAsync(response, "signature_missing");
        Assert.Empty(_jwks.Requests);
    }

    private Task<ReceiverHost> StartAsync(PayloadType type, Action<ActionReceiverOptions>? configure = null) =>
        ReceiverHost.StartAsync(o =>
        {
            o.SigningKeys.Add(HmacKey);
            o.PayloadType = type;
            o.JwksUri = new Uri(_jwks.Url("/jwks"));
            o.ValidIssuer = Issuer;
            configure?.Invoke(o);
        });

    private void PublishKeys(params SecurityKey[] keys) =>
        _jwks.Answer("/jwks", ReceiverAnswer.Json(Encoding.UTF8.GetString(PayloadKeys.WriteJwks(keys))));

    /// <summary>A JWS as the sender's encoder makes it: the payload with iat, exp, aud and iss, signed with <paramref name="key"/>.</summary>
    private byte[] Jws(SecurityKey key, string audience, string issuer = Issuer)
    {
        var encoder = new PayloadEncoder(_senderClock, Options.Create(new DispatchOptions { PayloadTokenIssuer = issuer }));
        return encoder.Sign(Encoding.UTF8.GetBytes(Payload), audience, new SigningCredentials(key, PayloadKeys.SigningAlgorithm(key)));
    }

    private static byte[] Jwe(SecurityKey recipient, byte[] jws) => JweWriter.Encrypt(jws, recipient);

    private static KeyPair Pair(string kind, string keyId) => string.Equals(kind, "rsa", StringComparison.Ordinal)
        ? new KeyPair(RSA.Create(2048), keyId)
        : new KeyPair(ECDsa.Create(ECCurve.NamedCurves.nistP256), keyId);

    /// <summary>Sends <paramref name="body"/> signed with the HMAC key at the receiver's time, as the sender sends a token.</summary>
    private static async Task<HttpResponseMessage> SendAsync(ReceiverHost receiver, string path, byte[] body)
    {
        using var client = new HttpClient { BaseAddress = receiver.BaseAddress };
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/jwt");
        foreach (var header in WebhookSigner.CreateHeaders(SignatureScheme.Zitadel, HmacKey, body, receiver.Clock.GetUtcNow(), Guid.NewGuid().ToString()))
        {
            message.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return await client.SendAsync(message);
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, string failure)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"Expected 401, got {(int)response.StatusCode}: {text}");
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(failure, (string?)problem["failure"]);
        return problem;
    }

    /// <summary>A receiver's key pair: its private key in PEM, and its public key as the target holds it.</summary>
    private sealed class KeyPair : IDisposable
    {
        private readonly AsymmetricAlgorithm _key;

        public KeyPair(RSA rsa, string keyId)
        {
            _key = rsa;
            Pem = rsa.ExportPkcs8PrivateKeyPem();
            Public = new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = keyId };
        }

        public KeyPair(ECDsa ec, string keyId)
        {
            _key = ec;
            Pem = ec.ExportPkcs8PrivateKeyPem();
            Public = new ECDsaSecurityKey(ECDsa.Create(ec.ExportParameters(false))) { KeyId = keyId };
        }

        public string Pem { get; }

        public SecurityKey Public { get; }

        public void Dispose() => _key.Dispose();
    }
}
