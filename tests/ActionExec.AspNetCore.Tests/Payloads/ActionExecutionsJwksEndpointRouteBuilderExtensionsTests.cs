using System.Net;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Payloads;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.AspNetCore.Tests.Payloads;

/// <summary>
/// The host's JWKS route over loopback HTTP, and a receiver written directly on Microsoft.IdentityModel that fetches it from there to
/// verify what the host sent to it.
/// </summary>
public sealed class ActionExecutionsJwksEndpointRouteBuilderExtensionsTests
{
    private const string Method = "/a.v1.S/M";

    private static readonly string[] PrivateParameters = ["d", "p", "q", "dp", "dq", "qi"];

    [Fact]
    public async Task MapActionExecutionsJwks_Get_AnswersThePublicKeysOnlyWithCacheControl()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("rsa-1"), [TestKeys.NewEc("ec-1", "P-384")]);
        await using var host = await StartAsync(keys);

        using var response = await host.Client.GetAsync(ActionExecutionsJwksEndpointRouteBuilderExtensions.DefaultPattern);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        var set = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["keys"]!.AsArray();
        Assert.Equal(2, set.Count);
        Assert.Equal("RSA", (string)set[0]!["kty"]!);
        Assert.Equal("RS256", (string)set[0]!["alg"]!);
        Assert.Equal("rsa-1", (string)set[0]!["kid"]!);
        Assert.Equal("sig", (string)set[0]!["use"]!);
        Assert.Equal("EC", (string)set[1]!["kty"]!);
        Assert.Equal("ES384", (string)set[1]!["alg"]!);
        Assert.Equal("P-384", (string)set[1]!["crv"]!);
        Assert.All(set, key => Assert.All(PrivateParameters, name => Assert.Null(key![name])));
    }

    [Fact]
    public async Task MapActionExecutionsJwks_CustomPattern_IsServedThere()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewEc("ec-1"));
        await using var host = await StartAsync(keys, "/keys");

        using var response = await host.Client.GetAsync("/keys");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ec-1", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["keys"]![0]!["kid"]!);
    }

    [Fact]
    public async Task MapActionExecutionsJwks_NoSigningKeys_ThrowsNamingAddPayloadSigningKeys()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiHost.StartAsync(map: app => app.MapActionExecutionsJwks()));

        Assert.Contains("AddPayloadSigningKeys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JwtTarget_ReceiverWithTheJwksFromTheRoute_AcceptsWhatTheHostSent()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("host-1"));
        await using var host = await StartAsync(keys);
        var target = await CreateTargetAsync(host, "hook", PayloadType.Jwt);
        host.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        await host.App.Services.GetRequiredService<IActionDispatcher>().RunRequestAsync(new FlowContext(ApiHost.Tenant), Method, JsonNode.Parse("""{"n":1}"""));

        var token = IdentityModelReceiver.Text(Assert.Single(host.Receiver.Requests).Body);
        var result = await IdentityModelReceiver.ValidateAsync(token, await FetchJwksAsync(host), target.Endpoint, now: host.Clock.GetUtcNow());
        Assert.True(result.IsValid, result.Exception?.ToString());
        Assert.Equal(1, IdentityModelReceiver.Claims(token).GetProperty("request").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task JweTarget_ReceiverWithTheJwksAndItsPrivateKey_AcceptsWhatTheHostSent()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewEc("host-ec"));
        await using var host = await StartAsync(keys);
        var target = await CreateTargetAsync(host, "secret", PayloadType.Jwe);
        var receiverKey = TestKeys.NewRsa("unused");
        var management = host.App.Services.GetRequiredService<IActionManagement>();
        var caller = ManagementCaller.ForHost(ApiHost.Tenant);
        var added = await management.AddPublicKeyAsync(caller, target.Id, receiverKey.Rsa.ExportSubjectPublicKeyInfoPem(), expirationDate: null);
        await management.ActivatePublicKeyAsync(caller, target.Id, added.KeyId);
        host.Receiver.Answer("/secret", ReceiverAnswer.Ok);

        await host.App.Services.GetRequiredService<IActionDispatcher>().RunRequestAsync(new FlowContext(ApiHost.Tenant), Method, JsonNode.Parse("""{"n":2}"""));

        var token = IdentityModelReceiver.Text(Assert.Single(host.Receiver.Requests).Body);
        var privateKey = new RsaSecurityKey(receiverKey.Rsa) { KeyId = added.KeyId };
        var result = await IdentityModelReceiver.ValidateAsync(token, await FetchJwksAsync(host), target.Endpoint, [privateKey], host.Clock.GetUtcNow());
        Assert.True(result.IsValid, result.Exception?.ToString());
    }

    [Fact]
    public async Task Rotate_TokenSignedBeforeTheRotation_StaysVerifiableUntilItsKeyIsUnpublished()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("host-1"));
        await using var host = await StartAsync(keys);
        var target = await CreateTargetAsync(host, "hook", PayloadType.Jwt);
        host.Receiver.Answer("/hook", ReceiverAnswer.Ok);
        var dispatcher = host.App.Services.GetRequiredService<IActionDispatcher>();
        await dispatcher.RunRequestAsync(new FlowContext(ApiHost.Tenant), Method, JsonNode.Parse("{}"));
        var inFlight = IdentityModelReceiver.Text(host.Receiver.Requests[0].Body);

        keys.Rotate(TestKeys.NewEc("host-2"));
        await dispatcher.RunRequestAsync(new FlowContext(ApiHost.Tenant), Method, JsonNode.Parse("{}"));
        var afterRotation = IdentityModelReceiver.Text(host.Receiver.Requests[1].Body);
        var jwks = await FetchJwksAsync(host);
        var now = host.Clock.GetUtcNow();

        Assert.Equal("host-2", IdentityModelReceiver.Header(afterRotation).GetProperty("kid").GetString());
        Assert.True((await IdentityModelReceiver.ValidateAsync(inFlight, jwks, target.Endpoint, now: now)).IsValid);
        Assert.True((await IdentityModelReceiver.ValidateAsync(afterRotation, jwks, target.Endpoint, now: now)).IsValid);

        keys.Unpublish("host-1");
        var unpublished = await IdentityModelReceiver.ValidateAsync(inFlight, await FetchJwksAsync(host), target.Endpoint, now: now);
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(unpublished.Exception);
    }

    [Fact]
    public async Task JwtTarget_TokenFromAnotherHostWithTheSameKid_IsRejectedWithThisHostsJwks()
    {
        var keys = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("host-1"));
        await using var host = await StartAsync(keys);
        var target = await CreateTargetAsync(host, "hook", PayloadType.Jwt);
        var forger = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("host-1"));
        await using var other = await StartAsync(forger);
        var otherTarget = await CreateTargetAsync(other, "hook", PayloadType.Jwt, target.Endpoint);
        host.Receiver.Answer("/hook", ReceiverAnswer.Ok);
        await other.App.Services.GetRequiredService<IActionDispatcher>().RunRequestAsync(new FlowContext(ApiHost.Tenant), Method, JsonNode.Parse("{}"));

        var forged = IdentityModelReceiver.Text(Assert.Single(host.Receiver.Requests).Body);
        var result = await IdentityModelReceiver.ValidateAsync(forged, await FetchJwksAsync(host), otherTarget.Endpoint, now: host.Clock.GetUtcNow());

        Assert.IsType<SecurityTokenInvalidSignatureException>(result.Exception);
    }

    private static Task<ApiHost> StartAsync(IPayloadSigningKeyProvider keys, string? pattern = null) => ApiHost.StartAsync(
        configure: b => b.AddPayloadSigningKeys(keys),
        map: app =>
        {
            if (pattern is null)
            {
                app.MapActionExecutionsJwks();
            }
            else
            {
                app.MapActionExecutionsJwks(pattern);
            }
        });

    private static async Task<string> FetchJwksAsync(ApiHost host)
    {
        // Over loopback HTTP from the mapped route, as a receiver would.
        using var client = new HttpClient { BaseAddress = host.Client.BaseAddress };
        return await client.GetStringAsync(ActionExecutionsJwksEndpointRouteBuilderExtensions.DefaultPattern);
    }

    private static async Task<Target> CreateTargetAsync(ApiHost host, string name, PayloadType type, string? endpoint = null)
    {
        var management = host.App.Services.GetRequiredService<IActionManagement>();
        var caller = ManagementCaller.ForHost(ApiHost.Tenant);
        var created = await management.CreateTargetAsync(caller, new TargetSpec
        {
            Name = name,
            Endpoint = endpoint ?? host.Receiver.Url("/" + name),
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(10),
            PayloadType = type,
        });
        await management.SetExecutionAsync(caller, Condition.RequestMethod(Method), [ExecutionEntry.ForTarget(created.Target.Id)]);
        return created.Target;
    }
}
