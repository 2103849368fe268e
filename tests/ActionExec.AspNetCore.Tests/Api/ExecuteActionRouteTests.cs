using System.Net;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Tests.Support;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Api;

/// <summary>The test console's route, <c>POST /backend/action/execute/{action_id}</c>.</summary>
public sealed class ExecuteActionRouteTests
{
    [Fact]
    public async Task Execute_TargetByName_AnswersTheTargetsStatusHeadersAndBody()
    {
        await using var host = await ApiHost.StartAsync();
        await host.CreateTargetAsync("echo", type: "restCall");
        host.Receiver.Answer("/echo", ReceiverAnswer.Json("""{"seen": true}""", 201));

        using var response = await host.SendAsync(
            HttpMethod.Post,
            "/backend/action/execute/echo",
            """{"method": "POST", "uriFragments": "id=1", "parameters": "page=2&q=a%20b", "headers": "X-Demo=yes", "body": {"name": "Ada"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(201, answer["statusCode"]!.GetValue<int>());
        Assert.True(answer["body"]!["seen"]!.GetValue<bool>());
        var sent = Assert.Single(host.Receiver.RequestsTo("/echo")).Json;
        Assert.Equal("POST", sent["method"]!.GetValue<string>());
        Assert.Equal("1", sent["uriFragments"]!["id"]!.GetValue<string>());
        Assert.Equal("a b", sent["parameters"]!["q"]!.GetValue<string>());
        Assert.Equal("yes", sent["headers"]!["X-Demo"]!.GetValue<string>());
        Assert.Equal("Ada", sent["body"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_ExecutionIdWithEncodedSlashes_RunsThatExecutionsChain()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, _) = await host.CreateTargetAsync("echo", type: "restCall");
        await host.SetExecutionAsync("""{"request":{"method":"/pkg.v1.Service/Method"}}""", id);
        host.Receiver.Answer("/echo", ReceiverAnswer.Json("""{"seen": true}"""));

        using var response = await host.SendAsync(HttpMethod.Post, "/backend/action/execute/request%2Fpkg.v1.Service%2fMethod", """{"method": "GET"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(answer["body"]!["seen"]!.GetValue<bool>());
        var row = Assert.Single(answer["trace"]!.AsArray())!;
        Assert.Equal(id, row["id"]!.GetValue<string>());
        Assert.Single(host.Receiver.RequestsTo("/echo"));
    }

    [Fact]
    public async Task Execute_BodyWithALoneSurrogateEscape_Answers400NamingItAndCallsNothing()
    {
        await using var host = await ApiHost.StartAsync();
        await host.CreateTargetAsync("echo");

        using var response = await host.SendAsync(HttpMethod.Post, "/backend/action/execute/echo", """{"method": "POST", "body": {"\uD800": 1}}""");

        await InvalidAsync(
            response,
            HttpStatusCode.BadRequest,
            ("", "The body holds the escape \\uD800 at byte 30: half of a UTF-16 surrogate pair without the other half, which is not text; send the character itself, or both halves of its pair (such as \\uD83C\\uDF89)."));
        Assert.Empty(host.Receiver.RequestsTo("/echo"));
    }

    [Fact]
    public async Task Execute_InvalidMethod_Answers400WithTheErrorBody()
    {
        await using var host = await ApiHost.StartAsync();
        await host.CreateTargetAsync("echo");

        using var response = await host.SendAsync(HttpMethod.Post, "/backend/action/execute/echo", """{"method": "TRACE"}""");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Contains("TRACE", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(host.Receiver.RequestsTo("/echo"));
    }

    [Fact]
    public async Task Execute_UnknownAction_Answers404()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/backend/action/execute/nothing-here", """{"method": "GET"}""");

        await BodyAsync(response, HttpStatusCode.NotFound, 5);
    }

    [Fact]
    public async Task Execute_ReaderWithAnInvalidBody_Answers403BeforeTheBodyIsRead()
    {
        await using var host = await ApiHost.StartAsync();
        await host.CreateTargetAsync("echo");

        using var response = await host.SendAsync(HttpMethod.Post, "/backend/action/execute/echo", """{"method": 7}""", key: TestAuthenticationHandler.Reader);

        await BodyAsync(response, HttpStatusCode.Forbidden, 7);
        Assert.Empty(host.Receiver.RequestsTo("/echo"));
    }

    [Fact]
    public async Task Execute_WithoutCredentials_Answers401()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/backend/action/execute/echo", """{"method": "GET"}""", key: null);

        await BodyAsync(response, HttpStatusCode.Unauthorized, 16);
    }
}
