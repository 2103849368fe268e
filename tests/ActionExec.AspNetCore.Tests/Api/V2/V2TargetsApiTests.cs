using System.Net;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using ActionExec.Management;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Api.V2;

/// <summary>The target routes of ZITADEL's GA API: create, get, update (with key rotation), idempotent delete.</summary>
public sealed class V2TargetsApiTests
{
    private const string Targets = "/v2/actions/targets";

    [Fact]
    public async Task CreateTarget_GaBody_AnswersIdCreationDateAndSigningKey()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(
            HttpMethod.Post,
            Targets,
            """{"name":"ip_allow_list","restWebhook":{"interruptOnError":true},"timeout":"10s","endpoint":"https://example.com/hooks/ip_check","payloadType":"PAYLOAD_TYPE_JSON"}""");

        var json = await OkObjectAsync(response);
        Assert.Equal(["id", "creationDate", "signingKey"], json.Select(p => p.Key));
        Assert.Equal("2024-12-18T07:50:47.492Z", (string?)json["creationDate"]);
        Assert.False(string.IsNullOrEmpty((string?)json["signingKey"]));
    }

    [Theory]
    [InlineData("\"PAYLOAD_TYPE_JSON\"", "PAYLOAD_TYPE_JSON")]
    [InlineData("\"PAYLOAD_TYPE_JWT\"", "PAYLOAD_TYPE_JWT")]
    [InlineData("\"PAYLOAD_TYPE_JWE\"", "PAYLOAD_TYPE_JWE")]
    [InlineData("3", "PAYLOAD_TYPE_JWE")]
    [InlineData("\"PAYLOAD_TYPE_UNSPECIFIED\"", "PAYLOAD_TYPE_JSON")]
    [InlineData("null", "PAYLOAD_TYPE_JSON")]
    public async Task CreateTarget_PayloadType_IsStoredAndReturned(string given, string stored)
    {
        await using var host = await ApiHost.StartAsync(configure: WithPayloadSigningKeys);

        var id = await CreateAsync(host, "hook", $$""","payloadType":{{given}}""");
        using var get = await host.SendAsync(HttpMethod.Get, $"{Targets}/{id}");

        Assert.Equal(stored, (string?)(await OkObjectAsync(get))["target"]!["payloadType"]);
    }

    [Fact]
    public async Task GetTarget_Existing_AnswersTheTargetInItsGaShapeWithoutKey()
    {
        await using var host = await ApiHost.StartAsync(configure: WithPayloadSigningKeys);
        var id = await CreateAsync(host, "hook", ""","payloadType":"PAYLOAD_TYPE_JWT" """);

        using var response = await host.SendAsync(HttpMethod.Get, $"{Targets}/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            $$$"""{"target":{"id":"{{{id}}}","name":"hook","endpoint":"https://hook.example.com/a","timeout":"10s","restCall":{"interruptOnError":true},"payloadType":"PAYLOAD_TYPE_JWT","signatureScheme":"zitadel","creationDate":"2024-12-18T07:50:47.492Z","changeDate":"2024-12-18T07:50:47.492Z"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetTarget_Missing_Answers404Code5()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, $"{Targets}/nope");

        await BodyAsync(response, HttpStatusCode.NotFound, 5);
    }

    [Theory]
    [InlineData("""{"name":"a","endpoint":"https://a.example.com","timeout":"1s","restAsync":{},"extra":1}""", "extra")]
    [InlineData("""{"name":"a","endpoint":"https://a.example.com","timeout":"1s","restAsync":{},"expirationSigningKey":"0s"}""", "expirationSigningKey")]
    [InlineData("""{"name":"a","endpoint":"https://a.example.com","timeout":"1s","restAsync":{},"payloadType":"PAYLOAD_TYPE_XML"}""", "payloadType")]
    [InlineData("""{"name":"","endpoint":"https://a.example.com","timeout":"1s","restAsync":{}}""", "name")]
    public async Task CreateTarget_BadBody_Answers400NamingTheField(string body, string field)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, Targets, body);

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Contains(field, Violations(error).Select(v => v.Field));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[]")]
    public async Task CreateTarget_NotAJsonObject_Answers400Code3(string body)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, Targets, body);

        await BodyAsync(response, HttpStatusCode.BadRequest, 3);
    }

    [Fact]
    public async Task UpdateTarget_Change_AnswersChangeDateOnlyAndKeepsTheKey()
    {
        await using var host = await ApiHost.StartAsync(configure: WithPayloadSigningKeys);
        var id = await CreateAsync(host, "hook");
        host.Clock.Advance(TimeSpan.FromSeconds(3));

        using var response = await host.SendAsync(HttpMethod.Post, $"{Targets}/{id}", $$"""{"id":"{{id}}","name":"renamed","restAsync":{},"payloadType":"PAYLOAD_TYPE_JWE"}""");
        using var get = await host.SendAsync(HttpMethod.Get, $"{Targets}/{id}");

        Assert.Equal("""{"changeDate":"2024-12-18T07:50:50.492Z"}""", await response.Content.ReadAsStringAsync());
        var target = (await OkObjectAsync(get))["target"]!;
        Assert.Equal("renamed", (string?)target["name"]);
        Assert.Equal("PAYLOAD_TYPE_JWE", (string?)target["payloadType"]);
        Assert.NotNull(target["restAsync"]);
    }

    [Fact]
    public async Task UpdateTarget_UnspecifiedPayloadType_KeepsTheStoredOne()
    {
        await using var host = await ApiHost.StartAsync(configure: WithPayloadSigningKeys);
        var id = await CreateAsync(host, "hook", ""","payloadType":"PAYLOAD_TYPE_JWT" """);

        using var response = await host.SendAsync(HttpMethod.Post, $"{Targets}/{id}", """{"payloadType":"PAYLOAD_TYPE_UNSPECIFIED"}""");
        using var get = await host.SendAsync(HttpMethod.Get, $"{Targets}/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("PAYLOAD_TYPE_JWT", (string?)(await OkObjectAsync(get))["target"]!["payloadType"]);
    }

    [Fact]
    public async Task UpdateTarget_ExpirationSigningKeyZero_ReplacesTheKeyAndReturnsIt()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, oldKey) = await host.CreateTargetAsync("hook");
        host.Clock.Advance(TimeSpan.FromSeconds(1));

        using var response = await host.SendAsync(HttpMethod.Post, $"{Targets}/{id}", """{"expirationSigningKey":"0s"}""");

        var json = await OkObjectAsync(response);
        Assert.Equal(["changeDate", "signingKey"], json.Select(p => p.Key));
        Assert.Equal("2024-12-18T07:50:48.492Z", (string?)json["changeDate"]);
        var newKey = (string?)json["signingKey"];
        Assert.False(string.IsNullOrEmpty(newKey));
        Assert.NotEqual(oldKey, newKey);
    }

    [Fact]
    public async Task UpdateTarget_NonZeroExpirationAndOtherId_Answers400ListingBothAndChangesNothing()
    {
        await using var host = await ApiHost.StartAsync();
        var id = await CreateAsync(host, "hook");

        using var response = await host.SendAsync(HttpMethod.Post, $"{Targets}/{id}", """{"id":"other","name":"renamed","expirationSigningKey":"60s"}""");
        using var get = await host.SendAsync(HttpMethod.Get, $"{Targets}/{id}");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal(["id", "expirationSigningKey"], Violations(error).Select(v => v.Field));
        Assert.Contains("\"60s\"", Violations(error)[1].Description, StringComparison.Ordinal);
        Assert.Equal("hook", (string?)(await OkObjectAsync(get))["target"]!["name"]);
    }

    [Fact]
    public async Task UpdateTarget_Missing_Answers404Code5()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, $"{Targets}/nope", """{"name":"x"}""");

        await BodyAsync(response, HttpStatusCode.NotFound, 5);
    }

    [Fact]
    public async Task DeleteTarget_TwiceInARow_AnswersDeletionDateThenEmptySuccess()
    {
        await using var host = await ApiHost.StartAsync();
        var id = await CreateAsync(host, "hook");
        host.Clock.Advance(TimeSpan.FromSeconds(2));

        using var first = await host.SendAsync(HttpMethod.Delete, $"{Targets}/{id}");
        using var second = await host.SendAsync(HttpMethod.Delete, $"{Targets}/{id}");
        using var get = await host.SendAsync(HttpMethod.Get, $"{Targets}/{id}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("""{"deletionDate":"2024-12-18T07:50:49.492Z"}""", await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("{}", await second.Content.ReadAsStringAsync());
        await BodyAsync(get, HttpStatusCode.NotFound, 5);
    }

    [Fact]
    public async Task DeleteTarget_OfAnotherTenant_LeavesItAlone()
    {
        await using var host = await ApiHost.StartAsync(configure: b => b.UseTenantResolver<HeaderTenantResolver>());
        using var created = await host.SendAsync(HttpMethod.Post, Targets, Body("theirs", ""), tenant: "a");
        var id = (string)(await OkObjectAsync(created))["id"]!;

        using var delete = await host.SendAsync(HttpMethod.Delete, $"{Targets}/{id}", tenant: "b");
        using var get = await host.SendAsync(HttpMethod.Get, $"{Targets}/{id}", tenant: "a");
        using var foreign = await host.SendAsync(HttpMethod.Get, $"{Targets}/{id}", tenant: "b");

        Assert.Equal("{}", await delete.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        await BodyAsync(foreign, HttpStatusCode.NotFound, 5);
    }

    [Theory]
    [InlineData("POST", Targets, """{"name":"a","endpoint":"https://a.example.com","timeout":"1s","restAsync":{}}""", ActionPermissions.TargetWrite)]
    [InlineData("POST", Targets + "/t1", """{"name":"b"}""", ActionPermissions.TargetWrite)]
    [InlineData("DELETE", Targets + "/t1", null, ActionPermissions.TargetWrite)]
    [InlineData("PUT", "/v2/actions/executions", """{"condition":{"request":{"all":true}}}""", ActionPermissions.ExecutionWrite)]
    public async Task WriteRoute_Reader_Answers403NamingTheWritePermission(string method, string path, string? body, string permission)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), path, body, key: TestAuthenticationHandler.Reader);

        await ErrorAsync(response, HttpStatusCode.Forbidden, 7, $"The caller lacks the permission '{permission}' in tenant '{ApiHost.Tenant}'; ask an administrator to grant it.");
    }

    [Theory]
    [InlineData("GET", Targets + "/t1", null, ActionPermissions.TargetRead)]
    [InlineData("POST", Targets + "/search", "{}", ActionPermissions.TargetRead)]
    [InlineData("POST", "/v2/actions/executions/search", "{}", ActionPermissions.ExecutionRead)]
    [InlineData("POST", Targets + "/search", "{not json", ActionPermissions.TargetRead)]
    public async Task ReadRoute_NoPermission_Answers403BeforeReadingTheBody(string method, string path, string? body, string permission)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), path, body, key: TestAuthenticationHandler.Nobody);

        await ErrorAsync(response, HttpStatusCode.Forbidden, 7, $"The caller lacks the permission '{permission}' in tenant '{ApiHost.Tenant}'; ask an administrator to grant it.");
    }

    [Fact]
    public async Task ReadRoutes_Reader_CanReadAndSearch()
    {
        await using var host = await ApiHost.StartAsync();
        var id = await CreateAsync(host, "hook");

        using var get = await host.SendAsync(HttpMethod.Get, $"{Targets}/{id}", key: TestAuthenticationHandler.Reader);
        using var targets = await host.SendAsync(HttpMethod.Post, $"{Targets}/search", "{}", key: TestAuthenticationHandler.Reader);
        using var executions = await host.SendAsync(HttpMethod.Post, "/v2/actions/executions/search", "{}", key: TestAuthenticationHandler.Reader);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, targets.StatusCode);
        Assert.Equal(HttpStatusCode.OK, executions.StatusCode);
    }

    [Fact]
    public async Task V2Routes_NoCredentials_Answer401Code16()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, $"{Targets}/search", "{}", key: null);

        await BodyAsync(response, HttpStatusCode.Unauthorized, 16);
    }

    [Fact]
    public async Task CreateTarget_JwtOnAHostWithoutPayloadSigningKeys_IsFailedPreconditionOnPayloadType()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(
            HttpMethod.Post,
            Targets,
            """{"name":"hook","restWebhook":{},"timeout":"10s","endpoint":"https://example.com/hook","payloadType":"PAYLOAD_TYPE_JWT"}""");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 9);
        Assert.Equal("payloadType", Assert.Single(Violations(error)).Field);
    }

    /// <summary>jwt and jwe targets need the host's payload signing keys.</summary>
    private static void WithPayloadSigningKeys(IActionExecutionsBuilder builder) => builder.AddPayloadSigningKeys(TestKeys.NewEc("host-1"));

    internal static string Body(string name, string extra) =>
        $$"""{"name":"{{name}}","endpoint":"https://{{name}}.example.com/a","timeout":"10s","restCall":{"interruptOnError":true}{{extra}}}""";

    internal static async Task<string> CreateAsync(ApiHost host, string name, string extra = "", string? tenant = null)
    {
        using var response = await host.SendAsync(HttpMethod.Post, Targets, Body(name, extra), tenant: tenant);
        return (string)(await OkObjectAsync(response))["id"]!;
    }

    internal static async Task<JsonObject> OkObjectAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
