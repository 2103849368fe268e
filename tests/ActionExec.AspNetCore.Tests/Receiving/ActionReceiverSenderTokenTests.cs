using System.Net;
using System.Security.Cryptography;
using ActionExec.AspNetCore.Tests.Interception;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Receiving;

/// <summary>
/// JWT and JWE deliveries end to end: a host with payload signing keys and its JWKS mapped (<see cref="ApiHost"/>, whose
/// <c>/greet</c> is intercepted) calls a jwt or jwe target served by a <see cref="ReceiverHost"/>, which fetches the key set
/// from the sender's route over loopback and decrypts with its own private key.
/// </summary>
public sealed class ActionReceiverSenderTokenTests
{
    private const string RequestCondition = """{"request":{"method":"/demo.v1.GreeterService/SayHello"}}""";
    private const string JwksPath = "/.well-known/actionexec/jwks.json";

    private readonly Greeter _greeter = new();
    private readonly RsaSecurityKey _hostKey = new(RSA.Create(2048)) { KeyId = "host-1" };

    [Theory]
    [InlineData(PayloadType.Jwt, SignatureScheme.Zitadel, "rsa")]
    [InlineData(PayloadType.Jwt, SignatureScheme.StandardWebhooks, "rsa")]
    [InlineData(PayloadType.Jwe, SignatureScheme.Zitadel, "rsa")]
    [InlineData(PayloadType.Jwe, SignatureScheme.StandardWebhooks, "ec")]
    public async Task RequireActionSignature_TokenFromTheSender_HandlerGetsThePayload(PayloadType type, SignatureScheme scheme, string keyKind)
    {
        await using var sender = await StartSenderAsync();
        using AsymmetricAlgorithm receiverKey = string.Equals(keyKind, "rsa", StringComparison.Ordinal) ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (targetId, hmacKey, keyId) = await CreateTargetAsync(sender, type, scheme, type == PayloadType.Jwe ? receiverKey : null);
        await using var receiver = await ReceiverHost.StartAsync(o =>
        {
            o.SigningKeys.Add(hmacKey);
            o.PayloadType = type;
            o.JwksUri = new Uri(sender.Client.BaseAddress!, JwksPath);
            if (keyId is not null)
            {
                o.DecryptionKeys[keyId] = receiverKey.ExportPkcs8PrivateKeyPem();
            }
        });
        await PointAtAsync(sender, targetId, receiver.Url("/hooks/gate"));

        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _greeter.Calls);
        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal(type, delivery.PayloadType);
        Assert.Equal(scheme, delivery.Scheme);
        Assert.Equal("Ann", delivery.Payload.GetProperty("request").GetProperty("name").GetString());
        Assert.Equal(receiver.Url("/hooks/gate"), delivery.Payload.GetProperty("aud").GetString());
        Assert.Equal(type == PayloadType.Jwe ? 5 : 3, System.Text.Encoding.ASCII.GetString(delivery.Body.Span).Split('.').Length);
        Assert.Equal("application/jwt", Assert.Single(receiver.Arrived).Header("Content-Type"));

        using var replayed = await receiver.ReplayAsync(receiver.Arrived[0]);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
    }

    [Fact]
    public async Task RequireActionSignature_JweForAnotherReceiverKey_RejectedAndTheSenderFails()
    {
        await using var sender = await StartSenderAsync();
        using var targetsKey = RSA.Create(2048);
        using var receiversKey = RSA.Create(2048);
        var (targetId, hmacKey, keyId) = await CreateTargetAsync(sender, PayloadType.Jwe, SignatureScheme.Zitadel, targetsKey);
        await using var receiver = await ReceiverHost.StartAsync(o =>
        {
            o.SigningKeys.Add(hmacKey);
            o.PayloadType = PayloadType.Jwe;
            o.JwksUri = new Uri(sender.Client.BaseAddress!, JwksPath);
            o.DecryptionKeys[keyId!] = receiversKey.ExportPkcs8PrivateKeyPem();
        });
        await PointAtAsync(sender, targetId, receiver.Url("/hooks/gate"));

        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        await BodyAsync(response, HttpStatusCode.BadRequest, 9);
        Assert.Equal(0, _greeter.Calls);
        Assert.Empty(receiver.Deliveries);
        using var again = await receiver.ReplayAsync(Assert.Single(receiver.Arrived));
        Assert.Contains("token_undecryptable", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireActionSignature_JwtDelivery_ForwardedErrorInterruptsTheSender()
    {
        await using var sender = await StartSenderAsync();
        var (targetId, hmacKey, _) = await CreateTargetAsync(sender, PayloadType.Jwt, SignatureScheme.StandardWebhooks, null);
        await using var receiver = await ReceiverHost.StartAsync(o =>
        {
            o.SigningKeys.Add(hmacKey);
            o.PayloadType = PayloadType.Jwt;
            o.JwksUri = new Uri(sender.Client.BaseAddress!, JwksPath);
        });
        await PointAtAsync(sender, targetId, receiver.Url("/hooks/deny"));

        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        await ErrorAsync(response, HttpStatusCode.Forbidden, 7, ReceiverHost.DenyMessage);
        Assert.Equal(0, _greeter.Calls);
    }

    private Task<ApiHost> StartSenderAsync() => ApiHost.StartAsync(
        configure: actions => actions.AddPayloadSigningKeys(_hostKey),
        map: app =>
        {
            _greeter.Map(app);
            app.MapActionExecutionsJwks();
        });

    /// <summary>
    /// Creates a webhook target of <paramref name="type"/> (not yet pointed at the receiver), in an execution on <c>/greet</c>, and
    /// for jwe adds and activates <paramref name="receiverKey"/>'s public key; returns the target, its HMAC key and the key id.
    /// </summary>
    private static async Task<(string TargetId, string HmacKey, string? KeyId)> CreateTargetAsync(ApiHost sender, PayloadType type, SignatureScheme scheme, AsymmetricAlgorithm? receiverKey)
    {
        var management = sender.App.Services.GetRequiredService<IActionManagement>();
        var caller = ManagementCaller.ForHost(ApiHost.Tenant);
        var created = await management.CreateTargetAsync(caller, new TargetSpec
        {
            Name = "gate",
            Endpoint = "http://127.0.0.1:9/not-started",
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(10),
            InterruptOnError = true,
            PayloadType = type,
            SignatureScheme = scheme,
        });
        string? keyId = null;
        if (receiverKey is not null)
        {
            var added = await management.AddPublicKeyAsync(caller, created.Target.Id, receiverKey.ExportSubjectPublicKeyInfoPem(), null);
            await management.ActivatePublicKeyAsync(caller, created.Target.Id, added.KeyId);
            keyId = added.KeyId;
        }

        await sender.SetExecutionAsync(RequestCondition, created.Target.Id);
        return (created.Target.Id, created.SigningKey, keyId);
    }

    private static async Task PointAtAsync(ApiHost sender, string targetId, string endpoint) =>
        await sender.App.Services.GetRequiredService<IActionManagement>().UpdateTargetAsync(
            ManagementCaller.ForHost(ApiHost.Tenant),
            targetId,
            new TargetUpdate { Endpoint = endpoint });
}
