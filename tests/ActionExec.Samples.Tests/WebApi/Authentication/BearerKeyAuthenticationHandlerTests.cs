using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ActionExec.Samples.Tests.Support;
using static ActionExec.Samples.Tests.Support.ErrorAssert;

namespace ActionExec.Samples.Tests.WebApi.Authentication;

public sealed class BearerKeyAuthenticationHandlerTests
{
    private const string Unauthenticated =
        "The request is not authenticated; send the credentials this service accepts, such as an 'Authorization' header.";

    private const string SayHelloCondition = """{"request":{"method":"/demo.v1.GreeterService/SayHello"}}""";

    [Fact]
    public async Task AdminKey_CreateTarget_Answers200WithIdCreationDateAndSigningKey()
    {
        await using var host = await SampleHost.StartAsync();

        using var response = await host.SendAsync(
            HttpMethod.Post,
            "/v2beta/actions/targets",
            """{"name":"hook","endpoint":"http://127.0.0.1:9/hook","timeout":"10s","restWebhook":{"interruptOnError":true}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["id", "creationDate", "signingKey"], created.Select(p => p.Key));
        Assert.False(string.IsNullOrEmpty((string?)created["id"]));
        Assert.EndsWith("Z", (string?)created["creationDate"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)created["signingKey"]));
    }

    [Fact]
    public async Task AdminKey_SetExecutionV2_Answers200WithSetDate()
    {
        await using var host = await SampleHost.StartAsync();
        var target = await host.CreateTargetAsync("hook");

        using var response = await host.SendAsync(HttpMethod.Put, "/v2beta/actions/executions", $$"""{"condition":{{SayHelloCondition}},"targets":[{"target":"{{target}}"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var set = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["setDate"], set.Select(p => p.Key));
        Assert.EndsWith("Z", (string?)set["setDate"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminKey_SetExecutionV3_Answers200WithDetails()
    {
        await using var host = await SampleHost.StartAsync();
        var target = await host.CreateTargetAsync("hook");

        using var response = await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", $$"""{"condition":{{SayHelloCondition}},"targets":["{{target}}"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var details = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["details"]!.AsObject();
        Assert.Equal(["sequence", "changeDate", "resourceOwner"], details.Select(p => p.Key));
        Assert.Equal("2", (string?)details["sequence"]);
        Assert.Equal(SampleHost.Tenant, (string?)details["resourceOwner"]);
    }

    [Theory]
    [InlineData("POST", "/v2beta/actions/targets", """{"name":"other","endpoint":"http://127.0.0.1:9/other","timeout":"10s","restWebhook":{}}""", "action.target.write")]
    [InlineData("PATCH", "/v2beta/actions/targets/{id}", """{"timeout":"5s"}""", "action.target.write")]
    [InlineData("DELETE", "/v2beta/actions/targets/{id}", null, "action.target.write")]
    [InlineData("POST", "/v2beta/actions/targets/{id}/signing-key", null, "action.target.write")]
    [InlineData("PUT", "/v2beta/actions/executions", """{"condition":{"request":{"all":true}},"targets":[]}""", "action.execution.write")]
    [InlineData("PUT", "/v3alpha/executions", """{"condition":{"request":{"all":true}},"targets":[]}""", "action.execution.write")]
    [InlineData("POST", "/v2/actions/deliveries/{id}/replay", null, "action.delivery.write")]
    [InlineData("POST", "/v2/actions/deliveries/replay", """{"since":"2024-12-18T00:00:00Z"}""", "action.delivery.write")]
    public async Task ReaderKey_Write_Answers403Code7(string method, string path, string? body, string permission)
    {
        await using var host = await SampleHost.StartAsync();
        var target = await host.CreateTargetAsync("hook");

        using var response = await host.SendAsync(new HttpMethod(method), path.Replace("{id}", target, StringComparison.Ordinal), body, SampleHost.ReaderKey);

        await ErrorAsync(
            response,
            HttpStatusCode.Forbidden,
            7,
            $"The caller lacks the permission '{permission}' in tenant 'default'; ask an administrator to grant it.");
    }

    [Theory]
    [InlineData("/v2beta/actions/targets")]
    [InlineData("/v2beta/actions/targets/{id}")]
    [InlineData("/v2beta/actions/executions")]
    [InlineData("/v2beta/actions/executions/match?kind=request&value=/demo.v1.GreeterService/SayHello")]
    public async Task ReaderKey_Read_Answers200(string path)
    {
        await using var host = await SampleHost.StartAsync();
        var target = await host.CreateTargetAsync("hook");
        await host.SetExecutionAsync(SayHelloCondition, target);

        using var response = await host.SendAsync(HttpMethod.Get, path.Replace("{id}", target, StringComparison.Ordinal), key: SampleHost.ReaderKey);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains(target, text, StringComparison.Ordinal);
        Assert.DoesNotContain("signingKey", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-key")]
    [InlineData("Bearer ADMIN-DEV-KEY")]
    [InlineData("Bearer admin-dev-key-and-more")]
    [InlineData("Basic YWRtaW4tZGV2LWtleTo=")]
    public async Task NoOrUnknownKey_Answers401Code16(string? authorization)
    {
        await using var host = await SampleHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2beta/actions/targets");
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        using var response = await host.Client.SendAsync(request);

        await ErrorAsync(response, HttpStatusCode.Unauthorized, 16, Unauthenticated);
    }

    [Fact]
    public async Task NoKey_Write_Answers401Code16()
    {
        await using var host = await SampleHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", $$"""{"condition":{{SayHelloCondition}},"targets":[]}""", key: null);

        await ErrorAsync(response, HttpStatusCode.Unauthorized, 16, Unauthenticated);
    }

    [Fact]
    public async Task ConfiguredKeys_ReplaceTheDevelopmentKeys()
    {
        await using var host = await SampleHost.StartAsync("--ActionExec:Sample:AdminKey=admin-key-2", "--ActionExec:Sample:ReaderKey=reader-key-2");

        using var devAdmin = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", key: SampleHost.AdminKey);
        using var devReader = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", key: SampleHost.ReaderKey);
        using var admin = await host.SendAsync(
            HttpMethod.Post,
            "/v2beta/actions/targets",
            """{"name":"hook","endpoint":"http://127.0.0.1:9/hook","timeout":"10s","restWebhook":{}}""",
            key: "admin-key-2");
        using var reader = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", key: "reader-key-2");
        using var readerWrite = await host.SendAsync(
            HttpMethod.Put,
            "/v3alpha/executions",
            """{"condition":{"request":{"all":true}},"targets":[]}""",
            key: "reader-key-2");

        await ErrorAsync(devAdmin, HttpStatusCode.Unauthorized, 16, Unauthenticated);
        await ErrorAsync(devReader, HttpStatusCode.Unauthorized, 16, Unauthenticated);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reader.StatusCode);
        await BodyAsync(readerWrite, HttpStatusCode.Forbidden, 7);
    }
}
