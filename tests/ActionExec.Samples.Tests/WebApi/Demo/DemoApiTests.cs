using System.Net;
using System.Text;
using ActionExec.Samples.Tests.Support;
using ActionExec.Tests.Support;
using static ActionExec.Samples.Tests.Support.ErrorAssert;

namespace ActionExec.Samples.Tests.WebApi.Demo;

public sealed class DemoApiTests
{
    private const string SayHello = "/demo.v1.GreeterService/SayHello";
    private const string SayGoodbye = "/demo.v1.GreeterService/SayGoodbye";
    private const string IssueToken = "/demo.v1.TokenService/IssueToken";

    /// <summary>Long enough for a background delivery on a loaded machine; a test waits this long only when it is failing.</summary>
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(SayHello, """{"name": "Ada"}""", """{"message":"Hello, Ada"}""")]
    [InlineData(SayGoodbye, """{"name": "Ada"}""", """{"message":"Goodbye, Ada"}""")]
    [InlineData(IssueToken, """{"userId": "u1"}""", """{"userId":"u1","claims":{}}""")]
    public async Task Call_NoExecutions_AnswersTheReplyWithoutCredentials(string method, string request, string reply)
    {
        await using var host = await SampleHost.StartAsync();

        using var response = await host.CallAsync(method, request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(reply, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(SayHello, "{}", "name", """The name is missing or empty; send a request such as {"name": "Ada"}.""")]
    [InlineData(SayGoodbye, """{"name": ""}""", "name", """The name is missing or empty; send a request such as {"name": "Ada"}.""")]
    [InlineData(IssueToken, """{"userId": null}""", "userId", """The userId is missing or empty; send a request such as {"userId": "u1"}.""")]
    [InlineData(SayHello, """{"name": 42}""", "name", """The request does not fit the message at 'name'; send a JSON object such as {"name": "Ada"}.""")]
    [InlineData(IssueToken, "[]", "", """The request does not fit the message; send a JSON object such as {"userId": "u1"}.""")]
    public async Task Call_InvalidRequest_Answers400Code3NamingTheField(string method, string request, string field, string description)
    {
        await using var host = await SampleHost.StartAsync();

        using var response = await host.CallAsync(method, request);

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal([(field, description)], Violations(error));
    }

    [Fact]
    public async Task Call_NoBody_Answers400Code3ForTheMissingName()
    {
        await using var host = await SampleHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, SayHello, body: null, key: null);

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal("name", Assert.Single(Violations(error)).Field);
    }

    [Fact]
    public async Task Call_NotJson_Answers415Code3()
    {
        await using var host = await SampleHost.StartAsync();
        using var content = new StringContent("name=Ada", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await host.Client.PostAsync(SayHello, content);

        await BodyAsync(response, HttpStatusCode.UnsupportedMediaType, 3);
    }

    [Theory]
    [InlineData(SayHello, """{"message":"Hello, Grace"}""")]
    [InlineData(SayGoodbye, """{"message":"Goodbye, Grace"}""")]
    public async Task Greeter_RequestCallTarget_HandlerAnswersWithTheRewrittenName(string method, string reply)
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/rename", ReceiverAnswer.Json("""{"name":"Grace"}"""));
        var target = await host.CreateTargetAsync("rename", type: "restCall");
        await host.SetExecutionAsync($$$"""{"request":{"method":"{{{method}}}"}}""", target);

        using var response = await host.CallAsync(method, """{"name": "Ada"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(reply, await response.Content.ReadAsStringAsync());
        var payload = Assert.Single(host.Receiver.RequestsTo("/rename")).Json;
        Assert.Equal(method, (string?)payload["fullMethod"]);
        Assert.Equal(SampleHost.Tenant, (string?)payload["instanceID"]);
        Assert.Equal("""{"name":"Ada"}""", payload["request"]!.ToJsonString());
        Assert.Null(payload["response"]);
    }

    [Theory]
    [InlineData(SayHello, """{"message":"Hello, Ada"}""")]
    [InlineData(SayGoodbye, """{"message":"Goodbye, Ada"}""")]
    public async Task Greeter_ResponseCallTarget_ClientGetsTheRewrittenResponse(string method, string handlerReply)
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/reword", ReceiverAnswer.Json("""{"message":"Reworded by a target"}"""));
        var target = await host.CreateTargetAsync("reword", type: "restCall");
        await host.SetExecutionAsync("""{"response":{"service":"demo.v1.GreeterService"}}""", target);

        using var response = await host.CallAsync(method, """{"name": "Ada"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"message":"Reworded by a target"}""", await response.Content.ReadAsStringAsync());
        var payload = Assert.Single(host.Receiver.RequestsTo("/reword")).Json;
        Assert.Equal(method, (string?)payload["fullMethod"]);
        Assert.Equal("""{"name":"Ada"}""", payload["request"]!.ToJsonString());
        Assert.Equal(handlerReply, payload["response"]!.ToJsonString());
    }

    [Fact]
    public async Task SayHello_InterruptingWebhookForwards403_Answers403AndTheHandlerDoesNotGreet()
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/gate", request => ReceiverAnswer.Json(
            string.Equals((string?)request.Json["request"]!["name"], "Ada", StringComparison.Ordinal)
                ? """{"forwardedStatusCode":403,"forwardedErrorMessage":"Ada may not be greeted today."}"""
                : "{}"));
        var gate = await host.CreateTargetAsync("gate");
        await host.SetExecutionAsync("""{"request":{"method":"/demo.v1.GreeterService/SayHello"}}""", gate);
        var events = await host.CreateTargetAsync("events", interrupt: false);
        await host.SetExecutionAsync("""{"event":{"group":"demo.greeting.*"}}""", events);
        var delivered = host.NextRequestTo("/events");

        using var stopped = await host.CallAsync(SayHello, """{"name": "Ada"}""");
        using var passed = await host.CallAsync(SayHello, """{"name": "Grace"}""");

        await ErrorAsync(stopped, HttpStatusCode.Forbidden, 7, "Ada may not be greeted today.");
        Assert.Equal("""{"message":"Hello, Grace"}""", await passed.Content.ReadAsStringAsync());

        // The stopped call's handler never ran, so the only greeting published is the one that passed the gate.
        var greeting = await delivered.WaitAsync(DeliveryWait);
        Assert.Equal("""{"name":"Grace"}""", greeting.Json["event_payload"]!.ToJsonString());
        Assert.Single(host.Receiver.RequestsTo("/events"));
    }

    [Fact]
    public async Task SayHello_InterruptingTargetFails_Answers400Code9()
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/gate", ReceiverAnswer.Text(500, "down"));
        var gate = await host.CreateTargetAsync("gate");
        await host.SetExecutionAsync("""{"request":{"all":true}}""", gate);

        using var response = await host.CallAsync(SayHello, """{"name": "Ada"}""");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 9);
        Assert.StartsWith("target gate failed: ", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SayHello_EventGroupExecution_DeliversGreetingSentWithTheNameTheHandlerSaw()
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/rename", ReceiverAnswer.Json("""{"name":"Grace"}"""));
        var rename = await host.CreateTargetAsync("rename", type: "restCall");
        await host.SetExecutionAsync("""{"request":{"method":"/demo.v1.GreeterService/SayHello"}}""", rename);
        var events = await host.CreateTargetAsync("events");
        await host.SetExecutionAsync("""{"event":{"group":"demo.greeting.*"}}""", events);
        var delivered = host.NextRequestTo("/events");

        using var response = await host.CallAsync(SayHello, """{"name": "Ada"}""");

        Assert.Equal("""{"message":"Hello, Grace"}""", await response.Content.ReadAsStringAsync());
        var greeting = (await delivered.WaitAsync(DeliveryWait)).Json;
        Assert.Equal("demo.greeting.sent", (string?)greeting["event_type"]);
        Assert.Equal("""{"name":"Grace"}""", greeting["event_payload"]!.ToJsonString());
        Assert.Equal("greeting", (string?)greeting["aggregateType"]);
        Assert.False(string.IsNullOrEmpty((string?)greeting["aggregateID"]));
        Assert.Equal(SampleHost.Tenant, (string?)greeting["instanceID"]);
        Assert.Equal(SampleHost.Tenant, (string?)greeting["resourceOwner"]);
    }

    [Fact]
    public async Task IssueToken_EventExecution_DeliversTokenIssuedWithTheUserId()
    {
        await using var host = await SampleHost.StartAsync();
        var events = await host.CreateTargetAsync("events");
        await host.SetExecutionAsync("""{"event":{"event":"demo.token.issued"}}""", events);
        var delivered = host.NextRequestTo("/events");

        using var response = await host.CallAsync(IssueToken, """{"userId": "u1"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issued = (await delivered.WaitAsync(DeliveryWait)).Json;
        Assert.Equal("demo.token.issued", (string?)issued["event_type"]);
        Assert.Equal("""{"userId":"u1"}""", issued["event_payload"]!.ToJsonString());
        Assert.Equal("token", (string?)issued["aggregateType"]);
    }

    [Fact]
    public async Task IssueToken_TwoPreAccessTokenCallTargets_AnswersTheMergedClaims()
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/roles", ReceiverAnswer.Json("""{"role":"admin","tier":"gold"}"""));
        host.Receiver.Answer("/billing", ReceiverAnswer.Json("""{"tier":"platinum","org":"acme"}"""));
        var roles = await host.CreateTargetAsync("roles", type: "restCall");
        var billing = await host.CreateTargetAsync("billing", type: "restCall");
        await host.SetExecutionAsync("""{"function":{"name":"preaccesstoken"}}""", roles, billing);

        using var response = await host.CallAsync(IssueToken, """{"userId": "u1"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"userId":"u1","claims":{"role":"admin","tier":"platinum","org":"acme"}}""", await response.Content.ReadAsStringAsync());
        var first = Assert.Single(host.Receiver.RequestsTo("/roles")).Json;
        var second = Assert.Single(host.Receiver.RequestsTo("/billing")).Json;
        Assert.Equal("""{"function":"function/preaccesstoken","userId":"u1","response":{}}""", first.ToJsonString());
        Assert.Equal("""{"function":"function/preaccesstoken","userId":"u1","response":{"role":"admin","tier":"gold"}}""", second.ToJsonString());
    }

    [Fact]
    public async Task IssueToken_RequestCallTarget_RunsTheFunctionFlowForTheRewrittenUser()
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/impersonate", ReceiverAnswer.Json("""{"userId":"u2"}"""));
        host.Receiver.Answer("/roles", ReceiverAnswer.Json("""{"role":"admin"}"""));
        var impersonate = await host.CreateTargetAsync("impersonate", type: "restCall");
        var roles = await host.CreateTargetAsync("roles", type: "restCall");
        await host.SetExecutionAsync("""{"request":{"method":"/demo.v1.TokenService/IssueToken"}}""", impersonate);
        await host.SetExecutionAsync("""{"function":{"name":"preaccesstoken"}}""", roles);

        using var response = await host.CallAsync(IssueToken, """{"userId": "u1"}""");

        Assert.Equal("""{"userId":"u2","claims":{"role":"admin"}}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("u2", (string?)Assert.Single(host.Receiver.RequestsTo("/roles")).Json["userId"]);
    }

    [Fact]
    public async Task IssueToken_InterruptingFunctionTargetForwards403_Answers403AndIssuesNothing()
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/policy", ReceiverAnswer.Json("""{"forwardedStatusCode":403,"forwardedErrorMessage":"u1 is locked."}"""));
        var policy = await host.CreateTargetAsync("policy", type: "restCall");
        await host.SetExecutionAsync("""{"function":{"name":"preaccesstoken"}}""", policy);

        using var response = await host.CallAsync(IssueToken, """{"userId": "u1"}""");

        await ErrorAsync(response, HttpStatusCode.Forbidden, 7, "u1 is locked.");
    }

    [Fact]
    public async Task IssueToken_InterruptingFunctionTargetFails_Answers400Code9()
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/policy", ReceiverAnswer.Text(503, "down"));
        var policy = await host.CreateTargetAsync("policy", type: "restCall");
        await host.SetExecutionAsync("""{"function":{"name":"preaccesstoken"}}""", policy);

        using var response = await host.CallAsync(IssueToken, """{"userId": "u1"}""");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 9);
        Assert.StartsWith("target policy failed: ", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueToken_NonInterruptingFunctionTargetFails_AnswersTheOtherClaims()
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/flaky", ReceiverAnswer.Text(500, "down"));
        host.Receiver.Answer("/roles", ReceiverAnswer.Json("""{"role":"admin"}"""));
        var flaky = await host.CreateTargetAsync("flaky", type: "restCall", interrupt: false);
        var roles = await host.CreateTargetAsync("roles", type: "restCall");
        await host.SetExecutionAsync("""{"function":{"name":"preaccesstoken"}}""", flaky, roles);

        using var response = await host.CallAsync(IssueToken, """{"userId": "u1"}""");

        Assert.Equal("""{"userId":"u1","claims":{"role":"admin"}}""", await response.Content.ReadAsStringAsync());
    }
}
