using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Dispatch;
using ActionExec.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Interception;

public sealed class ExecutionInterceptorTests
{
    private const string RequestCondition = """{"request":{"method":"/demo.v1.GreeterService/SayHello"}}""";
    private const string ResponseCondition = """{"response":{"method":"/demo.v1.GreeterService/SayHello"}}""";

    private readonly Greeter _greeter = new();

    private Task<ApiHost> StartAsync(Action<ActionExecutionsApiOptions>? api = null, Action<IActionExecutionsBuilder>? configure = null) =>
        ApiHost.StartAsync(
            configure: configure,
            api: api,
            services: s => s.AddControllers().AddApplicationPart(typeof(GreeterController).Assembly),
            map: app =>
            {
                _greeter.Map(app);
                app.MapControllers();
            });

    [Fact]
    public async Task Request_CallTargetRewrites_HandlerReadsTheRewrittenRequest()
    {
        await using var host = await StartAsync();
        host.Receiver.Answer("/rewrite", ReceiverAnswer.Json("""{"name":"Rewritten"}"""));
        var (id, _) = await host.CreateTargetAsync("rewrite", type: "restCall");
        await host.SetExecutionAsync(RequestCondition, id);

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"message":"Hello Rewritten"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(["""{"name":"Rewritten"}"""], _greeter.Bodies);
        var payload = Assert.Single(host.Receiver.RequestsTo("/rewrite")).Json;
        Assert.Equal("/demo.v1.GreeterService/SayHello", (string?)payload["fullMethod"]);
        Assert.Equal(ApiHost.Tenant, (string?)payload["instanceID"]);
        Assert.Equal("user-admin", (string?)payload["userID"]);
        Assert.Equal("""{"name":"Ann"}""", payload["request"]!.ToJsonString());
        var headers = payload["headers"]!.AsObject().Select(h => h.Key).ToList();
        Assert.Contains("Content-Type", headers, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("Host", headers, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("Authorization", headers, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Request_TypedBinding_BindsTheRewrittenRequest()
    {
        await using var host = await StartAsync();
        host.Receiver.Answer("/rewrite", ReceiverAnswer.Json("""{"name":"Rewritten, and longer than before"}"""));
        var (id, _) = await host.CreateTargetAsync("rewrite", type: "restCall");
        await host.SetExecutionAsync(RequestCondition, id);

        using var response = await host.SendAsync(HttpMethod.Post, "/controller/greet", """{"name":"Ann"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"message":"Hello Rewritten, and longer than before"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_InterruptingWebhookFails_AnswersCode9AndTheHandlerNeverRuns()
    {
        await using var host = await StartAsync();
        host.Receiver.Answer("/gate", ReceiverAnswer.Text(500, "down"));
        var (id, _) = await host.CreateTargetAsync("gate");
        await host.SetExecutionAsync(RequestCondition, id);

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 9);
        Assert.StartsWith("target gate failed: ", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(0, _greeter.Calls);
        Assert.Single(host.Receiver.RequestsTo("/gate"));
    }

    [Fact]
    public async Task Request_ForwardedForbidden_Answers403WithTheForwardedMessage()
    {
        await using var host = await StartAsync();
        host.Receiver.Answer("/gate", ReceiverAnswer.Json("""{"forwardedStatusCode":403,"forwardedErrorMessage":"Ann may not be greeted."}"""));
        var (id, _) = await host.CreateTargetAsync("gate");
        await host.SetExecutionAsync(RequestCondition, id);

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        await ErrorAsync(response, HttpStatusCode.Forbidden, 7, "Ann may not be greeted.");
        Assert.Equal(0, _greeter.Calls);
    }

    [Fact]
    public async Task Request_InterruptingTargetTimesOut_Answers504Code4AndTheHandlerNeverRuns()
    {
        await using var host = await StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Receiver.Answer("/slow", _ =>
        {
            arrived.TrySetResult();
            return new ReceiverAnswer { Delay = TimeSpan.FromSeconds(30) };
        });
        var (id, _) = await host.CreateTargetAsync("slow", timeout: "0.300s");
        await host.SetExecutionAsync(RequestCondition, id);

        var sending = host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using var response = await sending;

        var error = await BodyAsync(response, HttpStatusCode.GatewayTimeout, 4);
        Assert.StartsWith("target slow failed: ", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(0, _greeter.Calls);
    }

    [Fact]
    public async Task Request_FailingTargetWithoutInterrupt_HandlerReadsTheOriginalRequest()
    {
        await using var host = await StartAsync();
        host.Receiver.Answer("/flaky", ReceiverAnswer.Text(500, "down"));
        var (id, _) = await host.CreateTargetAsync("flaky", type: "restCall", interrupt: false);
        await host.SetExecutionAsync(RequestCondition, id);

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{ "name" : "Ann" }""");

        Assert.Equal("""{"message":"Hello Ann"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(["""{ "name" : "Ann" }"""], _greeter.Bodies);
    }

    [Fact]
    public async Task Response_CallTargetRewrites_ClientGetsTheRewrittenResponseWithItsLength()
    {
        await using var host = await StartAsync();
        host.Receiver.Answer("/reply", ReceiverAnswer.Json("""{"message":"Replaced"}"""));
        var (id, _) = await host.CreateTargetAsync("reply", type: "restCall");
        await host.SetExecutionAsync(ResponseCondition, id);

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"message":"Replaced"}""", Encoding.UTF8.GetString(bytes));
        Assert.Equal(bytes.Length, SentContentLength(response));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(1, _greeter.Calls);
        var payload = Assert.Single(host.Receiver.RequestsTo("/reply")).Json;
        Assert.Equal("""{"name":"Ann"}""", payload["request"]!.ToJsonString());
        Assert.Equal("""{"message":"Hello Ann"}""", payload["response"]!.ToJsonString());
    }

    [Fact]
    public async Task Response_InterruptingWebhookFails_ClientGetsTheErrorInsteadOfTheAnswer()
    {
        await using var host = await StartAsync();
        var (id, _) = await host.CreateTargetAsync("unscripted");
        await host.SetExecutionAsync(ResponseCondition, id);

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 9);
        Assert.StartsWith("target unscripted failed: ", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(1, _greeter.Calls);
    }

    [Fact]
    public async Task RequestAndResponse_BothRewritten_ResponseFlowSeesTheRewrittenRequest()
    {
        await using var host = await StartAsync();
        host.Receiver.Answer("/rewrite", ReceiverAnswer.Json("""{"name":"Bob"}"""));
        var (requestTarget, _) = await host.CreateTargetAsync("rewrite", type: "restCall");
        var (responseTarget, _) = await host.CreateTargetAsync("observe", interrupt: false);
        host.Receiver.Answer("/observe", ReceiverAnswer.Ok);
        await host.SetExecutionAsync(RequestCondition, requestTarget);
        await host.SetExecutionAsync(ResponseCondition, responseTarget);

        using var answer = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        Assert.Equal("""{"message":"Hello Bob"}""", await answer.Content.ReadAsStringAsync());
        var payload = Assert.Single(host.Receiver.RequestsTo("/observe")).Json;
        Assert.Equal("""{"name":"Bob"}""", payload["request"]!.ToJsonString());
        Assert.Equal("""{"message":"Hello Bob"}""", payload["response"]!.ToJsonString());
    }

    [Fact]
    public async Task Endpoint_WithoutMetadata_PassesThroughUnbufferedAndUnseen()
    {
        await using var host = await StartAsync();
        host.Receiver.Answer("/rewrite", ReceiverAnswer.Json("""{"name":"Rewritten"}"""));
        var (id, _) = await host.CreateTargetAsync("rewrite", type: "restCall");
        await host.SetExecutionAsync("""{"request":{"all":true}}""", id);
        await host.SetExecutionAsync("""{"response":{"all":true}}""", id);

        using var response = await host.SendAsync(HttpMethod.Post, "/plain", """{"name":"Ann"}""");

        Assert.Equal("""{"message":"Hello Ann"}""", await response.Content.ReadAsStringAsync());
        Assert.Null(SentContentLength(response));
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Empty(host.Receiver.Requests);
    }

    [Fact]
    public async Task Endpoint_MarkedWithoutExecution_PassesTheBodyUnchangedWithItsLength()
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{ "name" : "Ann" }""");

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("""{"message":"Hello Ann"}""", Encoding.UTF8.GetString(bytes));
        Assert.Equal(bytes.Length, SentContentLength(response));
        Assert.Equal(["""{ "name" : "Ann" }"""], _greeter.Bodies);
    }

    [Fact]
    public async Task Request_NoBodyAndNoUser_SendsNullRequestWithoutUserId()
    {
        await using var host = await StartAsync();
        host.Receiver.Answer("/observe", ReceiverAnswer.Ok);
        var (id, _) = await host.CreateTargetAsync("observe");
        await host.SetExecutionAsync(RequestCondition, id);

        using var response = await host.SendAsync(HttpMethod.Get, "/hello", key: null);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(1, _greeter.Calls);
        var payload = Assert.Single(host.Receiver.RequestsTo("/observe")).Json;
        Assert.Equal(ApiHost.Tenant, (string?)payload["instanceID"]);
        Assert.True(payload.ContainsKey("request"));
        Assert.Null(payload["request"]);
        Assert.False(payload.ContainsKey("userID"));
    }

    [Fact]
    public async Task Response_NotSuccessful_PassesUnchangedWithoutTheResponseFlow()
    {
        await using var host = await StartAsync();
        var (id, _) = await host.CreateTargetAsync("reply", type: "restCall");
        await host.SetExecutionAsync(ResponseCondition, id);

        using var response = await host.SendAsync(HttpMethod.Post, "/missing", """{"name":"Ann"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"error":"no such greeting"}""", await response.Content.ReadAsStringAsync());
        Assert.Empty(host.Receiver.RequestsTo("/reply"));
    }

    [Fact]
    public async Task Response_NotJson_PassesUnchangedWithoutTheResponseFlow()
    {
        await using var host = await StartAsync();
        var (id, _) = await host.CreateTargetAsync("reply", type: "restCall");
        await host.SetExecutionAsync(ResponseCondition, id);

        using var response = await host.SendAsync(HttpMethod.Post, "/text", """{"name":"Ann"}""");

        Assert.Equal("Hello", await response.Content.ReadAsStringAsync());
        Assert.Equal(5, SentContentLength(response));
        Assert.Empty(host.Receiver.RequestsTo("/reply"));
    }

    [Fact]
    public async Task Request_MalformedJson_Answers400AndTheHandlerNeverRuns()
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":""");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        var violation = Assert.Single(Violations(error));
        Assert.Equal("", violation.Field);
        Assert.StartsWith("The body is not valid JSON at line 1, byte ", violation.Description, StringComparison.Ordinal);
        Assert.Equal(0, _greeter.Calls);
    }

    [Fact]
    public async Task Request_LoneSurrogateEscape_Answers400NamingItAndTheHandlerNeverRuns()
    {
        await using var host = await StartAsync();
        host.Receiver.Answer("/gate", ReceiverAnswer.Ok);
        var (id, _) = await host.CreateTargetAsync("gate");
        await host.SetExecutionAsync(RequestCondition, id);

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann\uD800"}""");

        await InvalidAsync(
            response,
            HttpStatusCode.BadRequest,
            ("", "The body holds the escape \\uD800 at byte 13: half of a UTF-16 surrogate pair without the other half, which is not text; send the character itself, or both halves of its pair (such as \\uD83C\\uDF89)."));
        Assert.Equal(0, _greeter.Calls);
        Assert.Empty(host.Receiver.RequestsTo("/gate"));
    }

    [Fact]
    public async Task Request_NotJsonContentType_Answers415AndTheHandlerNeverRuns()
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", "name=Ann", contentType: "application/x-www-form-urlencoded");

        await ErrorAsync(
            response,
            HttpStatusCode.UnsupportedMediaType,
            3,
            "The Content-Type 'application/x-www-form-urlencoded' is not supported; send the body as JSON with 'Content-Type: application/json'.");
        Assert.Equal(0, _greeter.Calls);
    }

    [Fact]
    public async Task Request_OverTheLimit_Answers413AndTheHandlerNeverRuns()
    {
        await using var host = await StartAsync(api: o => o.MaxRequestBodyBytes = 16);

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann, whose name is long"}""");

        await ErrorAsync(
            response,
            HttpStatusCode.RequestEntityTooLarge,
            3,
            "The body is larger than 16 bytes, the limit ActionExec sets with ActionExecutionsApiOptions.MaxRequestBodyBytes; send a body of at most 16 bytes.");
        Assert.Equal(0, _greeter.Calls);
    }

    [Fact]
    public async Task Request_OverTheConfiguredLimit_Answers413NamingTheConfigurationKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActionExec:Api:MaxRequestBodyBytes"] = "16",
        }).Build();
        await using var host = await StartAsync(configure: b => b.AddActionExecutionsApi(configuration.GetSection("ActionExec:Api")));

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann, whose name is long"}""");

        await ErrorAsync(
            response,
            HttpStatusCode.RequestEntityTooLarge,
            3,
            "The body is larger than 16 bytes, the limit ActionExec sets with ActionExecutionsApiOptions.MaxRequestBodyBytes (configuration key ActionExec:Api:MaxRequestBodyBytes); send a body of at most 16 bytes.");
        Assert.Equal(0, _greeter.Calls);
    }

    [Fact]
    public async Task Request_NoTenant_Answers400AndTheHandlerNeverRuns()
    {
        await using var host = await StartAsync(api: o => o.DefaultTenantId = "");

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal(0, _greeter.Calls);
    }

    [Fact]
    public async Task Request_ConfiguredFlowContext_SendsOrgAndProjectOfTheHook()
    {
        await using var host = await StartAsync(configure: b => b.ConfigureFlowContext((http, context) => context with
        {
            OrgId = "org-of-" + context.UserId,
            ProjectId = http.Request.Path == "/greet" ? "project-1" : null,
        }));
        var (id, _) = await host.CreateTargetAsync("audit", interrupt: false);
        await host.SetExecutionAsync(RequestCondition, id);

        using var response = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payload = Assert.Single(host.Receiver.RequestsTo("/audit")).Json;
        Assert.Equal("org-of-user-admin", (string?)payload["orgID"]);
        Assert.Equal("project-1", (string?)payload["projectID"]);
        Assert.Equal("user-admin", (string?)payload["userID"]);
    }

    [Fact]
    public async Task HostEndpoint_ContextFromTheFactory_SendsWhatTheInterceptorSends()
    {
        await using var host = await ApiHost.StartAsync(
            configure: b => b.ConfigureFlowContext((http, context) => context with { OrgId = "org-of-" + context.UserId, ProjectId = "project-1" }),
            map: app =>
            {
                _greeter.Map(app);
                app.MapPost("/by-hand", async (HttpContext http, IFlowContextFactory contexts, IActionDispatcher dispatcher) =>
                {
                    var context = await contexts.CreateAsync(http, http.RequestAborted);
                    await dispatcher.RunRequestAsync(context, Greeter.Method, JsonNode.Parse("""{"name":"Ann"}"""), http.RequestAborted);
                    return Results.Ok();
                });
            });
        var (id, _) = await host.CreateTargetAsync("audit", interrupt: false);
        await host.SetExecutionAsync(RequestCondition, id);

        using var intercepted = await host.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");
        using var byHand = await host.SendAsync(HttpMethod.Post, "/by-hand", """{"name":"Ann"}""");

        Assert.Equal(HttpStatusCode.OK, intercepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byHand.StatusCode);
        var payloads = host.Receiver.RequestsTo("/audit").Select(r => r.Json).ToList();
        Assert.Equal(2, payloads.Count);
        foreach (var field in new[] { "instanceID", "orgID", "projectID", "userID", "fullMethod" })
        {
            Assert.Equal((string?)payloads[0][field], (string?)payloads[1][field]);
        }

        Assert.Equal("org-of-user-admin", (string?)payloads[1]["orgID"]);
        Assert.Equal("project-1", (string?)payloads[1]["projectID"]);
    }
}
