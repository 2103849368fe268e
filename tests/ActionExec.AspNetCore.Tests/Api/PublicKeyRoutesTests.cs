using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Management;
using Microsoft.Extensions.DependencyInjection;
using ActionExec.Tests.Support;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Api;

/// <summary>ZITADEL's GA routes for a target's public keys: shapes, codes, field violations, permissions and tenants.</summary>
public sealed class PublicKeyRoutesTests
{
    private const string Tenant = ApiHost.Tenant;

    [Fact]
    public async Task AddPublicKey_ThenSearch_AnswerZitadelsShapes()
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");
        var pem = TestKeys.RsaPem;

        using var added = await host.SendAsync(HttpMethod.Post, Keys(target), $$"""{"publicKey":"{{Base64(pem)}}","expirationDate":"2025-12-18T07:50:47.492Z"}""");
        var addedJson = await OkAsync(added);
        using var listed = await host.SendAsync(HttpMethod.Post, Keys(target) + "/search", "{}");
        var listJson = await OkAsync(listed);

        Assert.Equal(["keyId", "creationDate"], addedJson.Select(p => p.Key));
        Assert.Equal("2024-12-18T07:50:47.492Z", (string?)addedJson["creationDate"]);
        var key = Assert.Single(listJson["publicKeys"]!.AsArray())!.AsObject();
        Assert.Equal(["keyId", "active", "publicKey", "fingerprint", "expirationDate", "creationDate", "changeDate"], key.Select(p => p.Key));
        Assert.Equal((string?)addedJson["keyId"], (string?)key["keyId"]);
        Assert.False((bool)key["active"]!);
        Assert.Equal(pem, Encoding.UTF8.GetString(Convert.FromBase64String((string)key["publicKey"]!)));
        Assert.Equal(TestKeys.FingerprintOf(pem), (string?)key["fingerprint"]);
        Assert.Equal("2025-12-18T07:50:47.492Z", (string?)key["expirationDate"]);
        Assert.Equal("2024-12-18T07:50:47.492Z", (string?)key["changeDate"]);
    }

    [Fact]
    public async Task AddPublicKey_UrlSafeBase64WithoutPaddingAndNoExpiration_IsAccepted()
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");
        var urlSafe = Convert.ToBase64String(Encoding.UTF8.GetBytes(TestKeys.P256Pem + "x")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        using var added = await host.SendAsync(HttpMethod.Post, Keys(target), $$"""{"publicKey":"{{urlSafe}}"}""");
        await OkAsync(added);
        using var listed = await host.SendAsync(HttpMethod.Post, Keys(target) + "/search", body: null);

        var key = Assert.Single((await OkAsync(listed))["publicKeys"]!.AsArray())!.AsObject();
        Assert.Null(key["expirationDate"]);
        Assert.Equal(TestKeys.FingerprintOf(TestKeys.P256Pem), (string?)key["fingerprint"]);
    }

    [Fact]
    public async Task AddPublicKey_PemTextInsteadOfBase64_Answers400NamingPublicKeyAndTheFix()
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");

        using var response = await host.SendAsync(HttpMethod.Post, Keys(target), new JsonObject { ["publicKey"] = TestKeys.P256Pem }.ToJsonString());

        var body = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        var violation = Assert.Single(Violations(body));
        Assert.Equal("publicKey", violation.Field);
        Assert.Contains("base64", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("private")]
    [InlineData("too-long")]
    [InlineData("not-utf8")]
    [InlineData("empty")]
    public async Task AddPublicKey_BadKey_Answers400OnPublicKeyAndStoresNothing(string kind)
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");
        byte[] bytes = kind switch
        {
            "garbage" => Encoding.UTF8.GetBytes("hello"),
            "private" => Encoding.UTF8.GetBytes(TestKeys.P256.ExportPkcs8PrivateKeyPem()),
            "too-long" => Encoding.UTF8.GetBytes(TestKeys.RsaPem + new string(' ', 8193 - TestKeys.RsaPem.Length)),
            "not-utf8" => [0xFF, 0xFE, 0x00],
            _ => [],
        };

        using var response = await host.SendAsync(HttpMethod.Post, Keys(target), $$"""{"publicKey":"{{Convert.ToBase64String(bytes)}}"}""");

        var body = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal("publicKey", Assert.Single(Violations(body)).Field);
        using var listed = await host.SendAsync(HttpMethod.Post, Keys(target) + "/search", "{}");
        Assert.Empty((await OkAsync(listed))["publicKeys"]!.AsArray());
    }

    [Fact]
    public async Task AddPublicKey_PastExpirationAndUnknownProperty_Answer400WithTheirPaths()
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");

        using var past = await host.SendAsync(HttpMethod.Post, Keys(target), $$"""{"publicKey":"{{Base64(TestKeys.RsaPem)}}","expirationDate":"2024-12-18T07:50:47Z"}""");
        using var unknown = await host.SendAsync(HttpMethod.Post, Keys(target), $$"""{"publicKey":"{{Base64(TestKeys.RsaPem)}}","expiration":"1d"}""");

        Assert.Equal("expirationDate", Assert.Single(Violations(await BodyAsync(past, HttpStatusCode.BadRequest, 3))).Field);
        Assert.Equal("expiration", Assert.Single(Violations(await BodyAsync(unknown, HttpStatusCode.BadRequest, 3))).Field);
    }

    [Fact]
    public async Task AddPublicKey_SameKeyTwice_Answers409Code6()
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");
        var body = $$"""{"publicKey":"{{Base64(TestKeys.RsaPem)}}"}""";
        using var first = await host.SendAsync(HttpMethod.Post, Keys(target), body);
        await OkAsync(first);

        using var second = await host.SendAsync(HttpMethod.Post, Keys(target), body);

        await BodyAsync(second, HttpStatusCode.Conflict, 6);
    }

    [Fact]
    public async Task KeyRoutes_UnknownTargetOrKey_Answer404Code5()
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");

        using var add = await host.SendAsync(HttpMethod.Post, Keys("missing"), $$"""{"publicKey":"{{Base64(TestKeys.RsaPem)}}"}""");
        using var list = await host.SendAsync(HttpMethod.Post, Keys("missing") + "/search", "{}");
        using var activate = await host.SendAsync(HttpMethod.Post, Keys(target) + "/k1/activate");
        using var deactivate = await host.SendAsync(HttpMethod.Post, Keys(target) + "/k1/deactivate");
        using var remove = await host.SendAsync(HttpMethod.Delete, Keys(target) + "/k1");

        foreach (var response in new[] { add, list, activate, deactivate, remove })
        {
            await BodyAsync(response, HttpStatusCode.NotFound, 5);
        }
    }

    [Fact]
    public async Task ActivateDeactivateRemove_OnlyOneActive_RemoveActiveRefused()
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");
        var first = await AddAsync(host, target, TestKeys.RsaPem);
        var second = await AddAsync(host, target, TestKeys.P256Pem);

        using var activateFirst = await host.SendAsync(HttpMethod.Post, Keys(target) + $"/{first}/activate");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using var activateSecond = await host.SendAsync(HttpMethod.Post, Keys(target) + $"/{second}/activate");
        Assert.Equal(["changeDate"], (await OkAsync(activateFirst)).Select(p => p.Key));
        Assert.Equal("2024-12-18T07:50:48.492Z", (string?)(await OkAsync(activateSecond))["changeDate"]);
        Assert.Equal(new[] { false, true }, await ActiveFlagsAsync(host, target));

        using var removeActive = await host.SendAsync(HttpMethod.Delete, Keys(target) + $"/{second}");
        var refused = await BodyAsync(removeActive, HttpStatusCode.BadRequest, 9);
        Assert.Contains("deactivate it first", (string?)refused["message"], StringComparison.Ordinal);

        using var deactivate = await host.SendAsync(HttpMethod.Post, Keys(target) + $"/{second}/deactivate");
        await OkAsync(deactivate);
        using var remove = await host.SendAsync(HttpMethod.Delete, Keys(target) + $"/{second}");
        Assert.Equal("2024-12-18T07:50:48.492Z", (string?)(await OkAsync(remove))["deletionDate"]);
        Assert.Equal(new[] { false }, await ActiveFlagsAsync(host, target));
    }

    [Fact]
    public async Task Search_ActiveKeyPastExpiration_IsListedInactive()
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");
        using var added = await host.SendAsync(HttpMethod.Post, Keys(target), $$"""{"publicKey":"{{Base64(TestKeys.RsaPem)}}","expirationDate":"2024-12-18T08:50:47.492Z"}""");
        var key = (string)(await OkAsync(added))["keyId"]!;
        using var activate = await host.SendAsync(HttpMethod.Post, Keys(target) + $"/{key}/activate");
        await OkAsync(activate);

        host.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(new[] { false }, await ActiveFlagsAsync(host, target));
    }

    [Theory]
    [InlineData("""{"targetId":"whatever"}""")]
    [InlineData("{}")]
    public async Task Search_BodyOfTheRequestMessage_IsAccepted(string body)
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");

        using var response = await host.SendAsync(HttpMethod.Post, Keys(target) + "/search", body);

        Assert.Equal("""{"publicKeys":[]}""", await (await OkResponseAsync(response)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Search_UnknownProperty_Answers400NamingIt()
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");

        using var response = await host.SendAsync(HttpMethod.Post, Keys(target) + "/search", """{"pagination":{}}""");

        Assert.Equal("pagination", Assert.Single(Violations(await BodyAsync(response, HttpStatusCode.BadRequest, 3))).Field);
    }

    [Theory]
    [InlineData("POST", "", true)]
    [InlineData("POST", "/k1/activate", false)]
    [InlineData("POST", "/k1/deactivate", false)]
    [InlineData("DELETE", "/k1", false)]
    public async Task WriteRoutes_Reader_Answer403NamingTargetWriteBeforeReadingTheBody(string method, string suffix, bool body)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), Keys("t1") + suffix, body ? "{not json" : null, key: TestAuthenticationHandler.Reader);

        await ErrorAsync(response, HttpStatusCode.Forbidden, 7, $"The caller lacks the permission '{ActionPermissions.TargetWrite}' in tenant '{Tenant}'; ask an administrator to grant it.");
    }

    [Fact]
    public async Task Search_NobodyIsRefusedAndReaderMayList()
    {
        await using var host = await ApiHost.StartAsync();
        var (target, _) = await host.CreateTargetAsync("keys");

        using var nobody = await host.SendAsync(HttpMethod.Post, Keys(target) + "/search", "{not json", key: TestAuthenticationHandler.Nobody);
        using var reader = await host.SendAsync(HttpMethod.Post, Keys(target) + "/search", "{}", key: TestAuthenticationHandler.Reader);

        await ErrorAsync(nobody, HttpStatusCode.Forbidden, 7, $"The caller lacks the permission '{ActionPermissions.TargetRead}' in tenant '{Tenant}'; ask an administrator to grant it.");
        await OkAsync(reader);
    }

    [Fact]
    public async Task KeyRoutes_NoCredentials_Answer401()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, Keys("t1") + "/search", "{}", key: null);

        await BodyAsync(response, HttpStatusCode.Unauthorized, 16);
    }

    [Fact]
    public async Task KeyRoutes_OtherTenant_SeeNeitherTheTargetNorItsKeys()
    {
        await using var host = await ApiHost.StartAsync(configure: b => b.UseTenantResolver<HeaderTenantResolver>());
        var (target, _) = await host.CreateTargetAsync("keys", tenant: "tenant-a");
        using var added = await host.SendAsync(HttpMethod.Post, Keys(target), $$"""{"publicKey":"{{Base64(TestKeys.RsaPem)}}"}""", tenant: "tenant-a");
        var key = (string)(await OkAsync(added))["keyId"]!;

        using var list = await host.SendAsync(HttpMethod.Post, Keys(target) + "/search", "{}", tenant: "tenant-b");
        using var activate = await host.SendAsync(HttpMethod.Post, Keys(target) + $"/{key}/activate", tenant: "tenant-b");
        using var own = await host.SendAsync(HttpMethod.Post, Keys(target) + "/search", "{}", tenant: "tenant-a");

        await BodyAsync(list, HttpStatusCode.NotFound, 5);
        await BodyAsync(activate, HttpStatusCode.NotFound, 5);
        Assert.Single((await OkAsync(own))["publicKeys"]!.AsArray());
    }

    private static string Keys(string target) => $"/v2/actions/targets/{target}/publickeys";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static async Task<string> AddAsync(ApiHost host, string target, string pem)
    {
        using var response = await host.SendAsync(HttpMethod.Post, Keys(target), $$"""{"publicKey":"{{Base64(pem)}}"}""");
        return (string)(await OkAsync(response))["keyId"]!;
    }

    private static async Task<bool[]> ActiveFlagsAsync(ApiHost host, string target)
    {
        using var response = await host.SendAsync(HttpMethod.Post, Keys(target) + "/search", "{}");
        return [.. (await OkAsync(response))["publicKeys"]!.AsArray().Select(k => (bool)k!["active"]!)];
    }

    private static async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<HttpResponseMessage> OkResponseAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response;
    }
}
