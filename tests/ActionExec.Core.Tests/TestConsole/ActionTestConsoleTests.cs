using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.AspNetCore.Wire;
using ActionExec.TestConsole;
using ActionExec.Delivery;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Storage;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace ActionExec.Tests.TestConsole;

/// <summary>The action test console over real HTTP: every target is a path on a loopback receiver.</summary>
public sealed class ActionTestConsoleTests
{
    private const string Method = "/pkg.v1.Service/Method";
    private const string ExecutionId = "request" + Method;
    private const string PostBody = """{"method":"POST","uriFragments":"id=1","parameters":"page=2&q=x","headers":"Content-Type=application/json","body":{"name":"n"}}""";

    private static readonly Condition MethodCondition = Condition.RequestMethod(Method);

    [Fact]
    public async Task ExecuteJsonAsync_TargetById_ReturnsItsStatusHeadersAndJsonBodyWithoutTrace()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Json("""{"created":true,"id":7}""", status: 201) with
        {
            Headers = [new("Content-Type", "application/json"), new("X-Answer-Tag", "r-1"), new("Vary", "Origin"), new("Vary", "Accept")],
            Chunked = true,
        });

        var response = await RunAsync(h, target.Target.Id, PostBody);

        Assert.Equal(201, (int)response["statusCode"]!);
        var headers = response["headers"]!.AsObject();
        Assert.Equal("r-1", (string?)headers["X-Answer-Tag"]);
        Assert.Equal("Origin, Accept", (string?)headers["Vary"]);
        Assert.Equal("application/json", (string?)headers["Content-Type"]);
        Assert.False(headers.ContainsKey("Transfer-Encoding"), headers.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"created":true,"id":7}"""), response["body"]), response.ToJsonString());
        Assert.False(response.ContainsKey("trace"));
    }

    [Fact]
    public async Task ExecuteJsonAsync_TargetByName_SendsExactlyTheDocumentedPayload()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        var response = await RunAsync(h, "hook", PostBody);

        Assert.Equal(200, (int)response["statusCode"]!);
        var received = Assert.Single(h.Receiver.RequestsTo("/hook"));
        Assert.Equal("POST", received.Method);
        Assert.Equal(
            """{"method":"POST","uriFragments":{"id":"1"},"parameters":{"page":"2","q":"x"},"headers":{"Content-Type":"application/json"},"body":{"name":"n"}}""",
            Encoding.UTF8.GetString(received.Body));
        Assert.Equal("application/json; charset=utf-8", received.Header("Content-Type"));
        Assert.StartsWith("t=", received.Header("ZITADEL-Signature"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task ExecuteJsonAsync_EachMethod_ReachesTheTargetAsGiven(string method)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        await RunAsync(h, "hook", $$"""{"method":"{{method}}"}""");

        Assert.Equal(method, (string?)Assert.Single(h.Receiver.RequestsTo("/hook")).Json["method"]);
    }

    [Theory]
    [InlineData("\"get\"", "The method 'get' is not supported; give one of GET, POST, PUT, PATCH or DELETE, in capitals.")]
    [InlineData("\"HEAD\"", "The method 'HEAD' is not supported; give one of GET, POST, PUT, PATCH or DELETE, in capitals.")]
    [InlineData("null", "The method is missing; give one of GET, POST, PUT, PATCH or DELETE.")]
    public async Task ExecuteJsonAsync_InvalidMethod_FailsOnMethodWithoutCallingTheTarget(string method, string description)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");

        var error = await Assert.ThrowsAsync<ActionExecException>(() => RunAsync(h, "hook", $$"""{"method":{{method}}}"""));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        var violation = Assert.Single(error.Violations);
        Assert.Equal(("method", description), (violation.Field, violation.Description));
        Assert.Empty(h.Receiver.Requests);
    }

    [Theory]
    [InlineData("\"\"", "{}")]
    [InlineData("null", "{}")]
    [InlineData("\"page=2&q=x&sort=name\"", """{"page":"2","q":"x","sort":"name"}""")]
    [InlineData("\"q=a+b%26c%3Dd&name=J%C3%BCrgen&page=1&page=2\"", """{"q":"a b&c=d","name":"Jürgen","page":"2"}""")]
    public async Task ExecuteJsonAsync_Parameters_ReachTheTargetDecodedAsAnObjectOfStrings(string parameters, string expected)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        await RunAsync(h, "hook", $$"""{"method":"GET","parameters":{{parameters}}}""");

        var sent = Assert.Single(h.Receiver.RequestsTo("/hook")).Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), sent["parameters"]), sent.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{}"), sent["uriFragments"]), sent.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{}"), sent["headers"]), sent.ToJsonString());
    }

    [Fact]
    public async Task ExecuteJsonAsync_UriFragmentsAndHeaders_ReachTheTargetDecoded()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);
        const string body = """{"method":"PUT","uriFragments":"id=42&slug=a%2Fb","headers":"Authorization=Basic+dXNlcjpwYXNz==&X-Tag=1&x-tag=2"}""";

        await RunAsync(h, "hook", body);

        var sent = Assert.Single(h.Receiver.RequestsTo("/hook")).Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"id":"42","slug":"a/b"}"""), sent["uriFragments"]), sent.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Authorization":"Basic dXNlcjpwYXNz==","X-Tag":"2"}"""), sent["headers"]), sent.ToJsonString());
    }

    [Fact]
    public async Task ExecuteJsonAsync_MalformedStrings_ListsEveryViolationWithItsFieldAndCallsNothing()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");

        var error = await Assert.ThrowsAsync<ActionExecException>(() => RunAsync(
            h,
            "hook",
            """{"method":"PATCH","uriFragments":"=x","parameters":"a=%zz&&b","headers":"Bad Name=1"}"""));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal(
            [
                ("uriFragments", "The pair '=x' has no name; write it as name=value."),
                ("parameters", "The pair 'a=%zz' has the invalid escape '%zz'; write '%' followed by two hexadecimal digits, and a literal '%' as %25."),
                ("parameters", "Pair 2 of 'a=%zz&&b' is empty; separate pairs with a single '&', as in 'a=1&b=2'."),
                ("parameters", "The pair 'b' has no '='; write it as name=value, or name= for an empty value."),
                ("headers", "The header name 'Bad Name' is not a valid HTTP field name; use only letters, digits and !#$%&'*+-.^_`|~."),
            ],
            error.Violations.Select(v => (v.Field, v.Description)));
        Assert.Empty(h.Receiver.Requests);
    }

    [Theory]
    [InlineData("", "{}")]
    [InlineData(""","body":null""", "null")]
    [InlineData(""","body":[1,"two",{"three":3}]""", """[1,"two",{"three":3}]""")]
    [InlineData(",\"body\":\"text\"", "\"text\"")]
    public async Task ExecuteJsonAsync_Body_IsSentAsGivenAndAbsentIsAnEmptyObject(string body, string expected)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        await RunAsync(h, "hook", $$"""{"method":"POST"{{body}}}""");

        var sent = Assert.Single(h.Receiver.RequestsTo("/hook")).Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), sent["body"]), sent.ToJsonString());
    }

    [Theory]
    [InlineData("text/plain", "accepted", "\"accepted\"")]
    [InlineData("text/plain", "123", "\"123\"")]
    [InlineData("application/json", "{not json", "\"{not json\"")]
    [InlineData("application/problem+json", """{"title":"t"}""", """{"title":"t"}""")]
    [InlineData(null, "[1,2]", "[1,2]")]
    [InlineData(null, "", "null")]
    public async Task ExecuteJsonAsync_Answer_IsJsonOnlyWhenItParsesAndItsTypeAllowsItElseText(string? contentType, string answer, string expected)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", new ReceiverAnswer
        {
            Body = Encoding.UTF8.GetBytes(answer),
            Headers = contentType is null ? [] : [new("Content-Type", contentType)],
        });

        var response = await RunAsync(h, "hook", """{"method":"GET"}""");

        Assert.Equal(200, (int)response["statusCode"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), response["body"]), response.ToJsonString());
    }

    [Fact]
    public async Task ExecuteJsonAsync_BodyWithALoneSurrogateEscape_FailsOnTheRootWithoutCallingTheTarget()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");

        var error = await Assert.ThrowsAsync<ActionExecException>(() => RunAsync(h, "hook", """{"method":"POST","body":{"tags":["a","\uDC00"]}}"""));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        var violation = Assert.Single(error.Violations);
        Assert.Equal(
            ("", "The body holds the escape \\uDC00 at byte 39: half of a UTF-16 surrogate pair without the other half, which is not text; send the character itself, or both halves of its pair (such as \\uD83C\\uDF89)."),
            (violation.Field, violation.Description));
        Assert.Empty(h.Receiver.Requests);
    }

    [Fact]
    public async Task ExecuteJsonAsync_JsonAnswerWithALoneSurrogateEscape_ReturnsItAsText()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Json("""{"name":"a\uD800"}"""));

        var response = await RunAsync(h, "hook", """{"method":"GET"}""");

        Assert.Equal(200, (int)response["statusCode"]!);
        Assert.Equal("""{"name":"a\uD800"}""", (string?)response["body"]);
    }

    [Fact]
    public async Task ExecuteJsonAsync_CallTargetAnswersText_ReturnsItsOwnStatusAndText()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("call", TargetType.Call, interrupt: true);
        h.Receiver.Answer("/call", ReceiverAnswer.Text(200, "accepted"));

        var response = await RunAsync(h, "call", """{"method":"POST"}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"statusCode":200,"body":"accepted"}"""), Without(response, "headers")), response.ToJsonString());
        Assert.Equal("text/plain", (string?)response["headers"]!["Content-Type"]);
    }

    [Theory]
    [InlineData(404, "no such user")]
    [InlineData(500, "upstream broke")]
    public async Task ExecuteJsonAsync_TargetAnswersAnError_ReturnsItsOwnStatusAndBody(int status, string text)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook", interrupt: true);
        h.Receiver.Answer("/hook", ReceiverAnswer.Text(status, text));

        var response = await RunAsync(h, "hook", """{"method":"GET"}""");

        Assert.Equal(status, (int)response["statusCode"]!);
        Assert.Equal(text, (string?)response["body"]);
    }

    [Fact]
    public async Task ExecuteJsonAsync_ForwardedError_ReturnsTheTargetsOwnAnswer()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("guard", TargetType.Call, interrupt: true);
        h.Receiver.Answer("/guard", ReceiverAnswer.Json("""{"forwardedStatusCode":403,"forwardedErrorMessage":"blocked"}"""));

        var response = await RunAsync(h, "guard", """{"method":"POST"}""");

        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse("""{"statusCode":200,"body":{"forwardedStatusCode":403,"forwardedErrorMessage":"blocked"}}"""), Without(response, "headers")),
            response.ToJsonString());
    }

    [Fact]
    public async Task ExecuteJsonAsync_ClosedPort_Returns500WithSuccessFalseAndNoStackTrace()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("failing", endpoint: HttpActionsHarness.ClosedPortUrl());

        var response = await RunAsync(h, "failing", """{"method":"GET"}""");

        Assert.Equal(500, (int)response["statusCode"]!);
        Assert.Empty(response["headers"]!.AsObject());
        var body = response["body"]!.AsObject();
        Assert.Equal(["success", "message"], body.Select(p => p.Key));
        Assert.False((bool)body["success"]!);
        var message = (string)body["message"]!;
        Assert.StartsWith("target failing failed: no answer: HttpRequestException: ", message, StringComparison.Ordinal);
        AssertNoStackTrace(message);
    }

    [Fact]
    public async Task ExecuteJsonAsync_DeniedEndpoint_Returns500WithoutConnecting()
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddHttpTargets(o => o.DeniedNetworks.Add("127.0.0.0/8")));
        await h.CreateTargetAsync("local", endpoint: $"http://localhost:{h.Receiver.Port}/local");

        var response = await RunAsync(h, "local", """{"method":"GET"}""");

        Assert.True(
            JsonNode.DeepEquals(
                JsonNode.Parse($$$"""{"statusCode":500,"headers":{},"body":{"success":false,"message":"target local failed: endpoint http://localhost:{{{h.Receiver.Port}}}/local is denied: localhost resolves to 127.0.0.1, in the denied network 127.0.0.0/8"}}"""),
                response),
            response.ToJsonString());
        Assert.Equal(0, h.Receiver.Connections);
    }

    [Fact]
    public async Task ExecuteJsonAsync_TimeOut_Returns504WithSuccessFalse()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("slow", timeout: TimeSpan.FromMilliseconds(300));
        h.Receiver.Answer("/slow", ReceiverAnswer.Json("{}") with { Delay = TimeSpan.FromSeconds(30) });

        var response = await RunAsync(h, "slow", """{"method":"GET"}""");

        Assert.True(
            JsonNode.DeepEquals(
                JsonNode.Parse("""{"statusCode":504,"headers":{},"body":{"success":false,"message":"target slow failed: no answer within its timeout of 0.3s"}}"""),
                response),
            response.ToJsonString());
    }

    [Fact]
    public async Task ExecuteJsonAsync_ChainByExecutionId_RunsTheFlattenedTargetsInOrderAndTracesEach()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var rewrite = await h.CreateTargetAsync("rewrite", TargetType.Call);
        var audit = await h.CreateTargetAsync("audit");
        var notify = await h.CreateTargetAsync("notify", TargetType.Async);
        await h.SetAsync(Condition.RequestService("pkg.v1.Other"), audit, notify);
        await h.Management.SetExecutionAsync(h.Admin, MethodCondition, [ExecutionEntry.ForTarget(rewrite.Target.Id), ExecutionEntry.ForInclude(Condition.RequestService("pkg.v1.Other"))]);
        h.Receiver.Answer("/rewrite", ReceiverAnswer.Json("""{"name":"rewritten"}"""));
        h.Receiver.Answer("/audit", ReceiverAnswer.Json("""{"ignored":true}"""));
        h.Receiver.Answer("/notify", ReceiverAnswer.Text(202, "queued"));

        var response = await RunAsync(h, ExecutionId, PostBody);

        Assert.Equal(["/rewrite", "/audit", "/notify"], h.Receiver.Requests.OrderBy(r => r.Sequence).Select(r => r.Path));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"n"}"""), h.Receiver.RequestsTo("/rewrite")[0].Json["body"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"rewritten"}"""), h.Receiver.RequestsTo("/audit")[0].Json["body"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"rewritten"}"""), h.Receiver.RequestsTo("/notify")[0].Json["body"]));
        Assert.Equal(202, (int)response["statusCode"]!);
        Assert.Equal("queued", (string?)response["body"]);
        AssertTrace(
            response,
            (rewrite, 200, "success"),
            (audit, 200, "success"),
            (notify, 202, "success"));
    }

    [Fact]
    public async Task ExecuteJsonAsync_ChainWithAFailingNonInterruptingTarget_GoesOnAndAnswersWithTheLastAnswer()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var first = await h.CreateTargetAsync("first", TargetType.Call);
        var broken = await h.CreateTargetAsync("broken", TargetType.Call, endpoint: HttpActionsHarness.ClosedPortUrl());
        var failing = await h.CreateTargetAsync("failing", TargetType.Call);
        await h.SetAsync(MethodCondition, first, failing, broken);
        h.Receiver.Answer("/first", ReceiverAnswer.Json("""{"step":1}"""));
        h.Receiver.Answer("/failing", ReceiverAnswer.Text(503, "down"));

        var response = await RunAsync(h, ExecutionId, """{"method":"POST","body":{"step":0}}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"step":1}"""), h.Receiver.RequestsTo("/failing")[0].Json["body"]));
        Assert.Equal(503, (int)response["statusCode"]!);
        Assert.Equal("down", (string?)response["body"]);
        AssertTrace(
            response,
            (first, 200, "success"),
            (failing, 503, "status"),
            (broken, 500, "transport_error"));
    }

    [Fact]
    public async Task ExecuteJsonAsync_ChainWithAFailingInterruptingTarget_StopsThereAndAnswersWithItsAnswer()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var first = await h.CreateTargetAsync("first");
        var guard = await h.CreateTargetAsync("guard", interrupt: true);
        var after = await h.CreateTargetAsync("after");
        await h.SetAsync(MethodCondition, first, guard, after);
        h.Receiver.Answer("/first", ReceiverAnswer.Ok);
        h.Receiver.Answer("/guard", ReceiverAnswer.Text(404, "no such user"));
        h.Receiver.Answer("/after", ReceiverAnswer.Ok);

        var response = await RunAsync(h, ExecutionId, """{"method":"GET"}""");

        Assert.Equal(404, (int)response["statusCode"]!);
        Assert.Equal("no such user", (string?)response["body"]);
        Assert.Empty(h.Receiver.RequestsTo("/after"));
        AssertTrace(
            response,
            (first, 200, "success"),
            (guard, 404, "status"),
            (after, null, "skipped"));
    }

    [Fact]
    public async Task ExecuteJsonAsync_ChainWithAnInterruptingTargetThatTimesOut_Answers504AndSkipsTheRest()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var first = await h.CreateTargetAsync("first");
        var slow = await h.CreateTargetAsync("slow", TargetType.Call, interrupt: true, timeout: TimeSpan.FromMilliseconds(300));
        var after = await h.CreateTargetAsync("after");
        await h.SetAsync(MethodCondition, first, slow, after);
        h.Receiver.Answer("/first", ReceiverAnswer.Ok);
        h.Receiver.Answer("/slow", ReceiverAnswer.Json("{}") with { Delay = TimeSpan.FromSeconds(30) });

        var response = await RunAsync(h, ExecutionId, """{"method":"GET"}""");

        Assert.Equal(504, (int)response["statusCode"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"success":false,"message":"target slow failed: no answer within its timeout of 0.3s"}"""), response["body"]));
        Assert.Empty(h.Receiver.RequestsTo("/after"));
        AssertTrace(
            response,
            (first, 200, "success"),
            (slow, 504, "timeout"),
            (after, null, "skipped"));
    }

    [Fact]
    public async Task ExecuteJsonAsync_ExecutionWithoutTargets_Answers200WithANullBodyAndAnEmptyTrace()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("gone");
        await h.SetAsync(MethodCondition, target);
        await h.Management.DeleteTargetAsync(h.Admin, target.Target.Id);

        var response = await RunAsync(h, ExecutionId, """{"method":"GET"}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"statusCode":200,"headers":{},"body":null,"trace":[]}"""), response), response.ToJsonString());
    }

    [Fact]
    public async Task ExecuteJsonAsync_ActionIdIsBothAnIdAndAName_TheIdWinsThenTheNameThenTheExecution()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var byId = await h.CreateTargetAsync("by-id");
        await h.CreateTargetAsync(byId.Target.Id);
        await h.CreateTargetAsync(ExecutionId, endpoint: h.Receiver.Url("/named-like-execution"));
        await h.SetAsync(MethodCondition, byId);
        h.Receiver.Answer("/by-id", ReceiverAnswer.Text(200, "by id"));
        h.Receiver.Answer("/named-like-execution", ReceiverAnswer.Text(200, "by name"));

        var first = await RunAsync(h, byId.Target.Id, """{"method":"GET"}""");
        var second = await RunAsync(h, ExecutionId, """{"method":"GET"}""");

        Assert.Equal("by id", (string?)first["body"]);
        Assert.Equal("by name", (string?)second["body"]);
        Assert.False(second.ContainsKey("trace"));
        Assert.Equal(["/by-id", "/named-like-execution"], h.Receiver.Requests.OrderBy(r => r.Sequence).Select(r => r.Path));
    }

    [Theory]
    [InlineData("nothing-here", "The action 'nothing-here' is not a target id, a target name or an execution id in tenant '69629023906488334'; give a target's id or name, or an existing execution's id such as 'request/pkg.v1.Service/Method'.")]
    [InlineData("request/pkg.v1.Service/Other", "The action 'request/pkg.v1.Service/Other' is not a target id or name, and tenant '69629023906488334' has no execution 'request/pkg.v1.Service/Other'; set that execution first, or give a target's id or name.")]
    public async Task ExecuteJsonAsync_UnknownActionId_FailsWithNotFoundNamingIt(string actionId, string message)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("hook");
        await h.SetAsync(MethodCondition, target);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => RunAsync(h, actionId, """{"method":"GET"}"""));

        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
        Assert.Equal(message, error.Message);
        Assert.Empty(h.Receiver.Requests);
    }

    [Fact]
    public async Task ExecuteJsonAsync_InvalidBodyAndUnknownAction_ReportsTheBodyFirst()
    {
        await using var h = await HttpActionsHarness.StartAsync();

        var error = await Assert.ThrowsAsync<ActionExecException>(() => RunAsync(h, "nothing-here", """{"method":"GET","query":"a=1"}"""));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        var violation = Assert.Single(error.Violations);
        Assert.Equal("query", violation.Field);
        Assert.Equal("The property 'query' is not known here; use 'method', 'uriFragments', 'parameters', 'headers' or 'body'.", violation.Description);
    }

    [Fact]
    public async Task ExecuteJsonAsync_WithoutTargetWrite_FailsWithPermissionDeniedBeforeReadingTheBody()
    {
        var permissions = Substitute.For<IActionPermissionChecker>();
        permissions.HasPermissionAsync(default!, default!, default).ReturnsForAnyArgs(false);
        var features = Substitute.For<IActionFeatureFlags>();
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.AddSingleton(permissions).AddSingleton(features));

        var error = await Assert.ThrowsAsync<ActionExecException>(() => RunAsync(h, "nothing-here", "not json at all"));

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
        Assert.Equal("The caller lacks the permission 'action.target.write' in tenant '69629023906488334'; ask an administrator to grant it.", error.Message);
        await permissions.Received(1).HasPermissionAsync(h.Admin, ActionPermissions.TargetWrite, Arg.Any<CancellationToken>());
        await features.DidNotReceiveWithAnyArgs().IsActionsEnabledAsync(default!, default);
    }

    [Fact]
    public async Task ExecuteJsonAsync_FeatureDisabled_FailsWithFailedPreconditionBeforeReadingTheBody()
    {
        var features = Substitute.For<IActionFeatureFlags>();
        features.IsActionsEnabledAsync(default!, default).ReturnsForAnyArgs(false);
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.AddSingleton(features));

        var error = await Assert.ThrowsAsync<ActionExecException>(() => RunAsync(h, "nothing-here", "not json at all"));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("feature flag actions is not enabled for tenant '69629023906488334'; enable the actions feature to use targets and executions.", error.Message);
    }

    [Fact]
    public async Task ExecuteJsonAsync_DryRun_LeavesTheStoredStateEqualAndQueuesNothing()
    {
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.AddSingleton<IDeliveryQueue, InMemoryDeliveryQueue>());
        var rewrite = await h.CreateTargetAsync("rewrite", TargetType.Call);
        var notify = await h.CreateTargetAsync("notify", TargetType.Async);
        await h.SetAsync(MethodCondition, rewrite, notify);
        h.Receiver.Answer("/rewrite", ReceiverAnswer.Json("""{"name":"rewritten"}"""));
        h.Receiver.Answer("/notify", ReceiverAnswer.Ok);
        var store = h.Services.GetRequiredService<IActionStore>();
        var engine = h.Services.GetRequiredService<ActionEngine>();
        var queue = h.Services.GetRequiredService<IDeliveryQueue>();
        var before = await store.LoadAsync(HttpActionsHarness.Tenant, CancellationToken.None);

        var response = await RunAsync(h, ExecutionId, PostBody);

        var after = await store.LoadAsync(HttpActionsHarness.Tenant, CancellationToken.None);
        Assert.Equal(200, (int)response["statusCode"]!);
        Assert.Single(h.Receiver.RequestsTo("/notify"));
        Assert.Equal(3UL, before.Sequence);
        Assert.Equal(before.Sequence, after.Sequence);
        Assert.Equal(before.Sequence, await store.GetSequenceAsync(HttpActionsHarness.Tenant, CancellationToken.None));
        Assert.Equal(before.Targets.OrderBy(t => t.Target.Id, StringComparer.Ordinal), after.Targets.OrderBy(t => t.Target.Id, StringComparer.Ordinal));
        Assert.Equal(before.Executions.OrderBy(e => e.Id, StringComparer.Ordinal), after.Executions.OrderBy(e => e.Id, StringComparer.Ordinal));
        Assert.Equal(before.Sequence, (await engine.GetSnapshotAsync(HttpActionsHarness.Tenant)).Sequence);
        Assert.IsType<InMemoryDeliveryQueue>(queue);
        Assert.Equal(0, await queue.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ExecuteAsync_TypedRequest_NormalisesHeaderCaseAndRunsTheTarget()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Json("""{"ok":true}"""));
        var request = new ConsoleRequest
        {
            Method = "DELETE",
            UriFragments = new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = "7" },
            Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["X-Tag"] = "a", ["x-tag"] = "b" },
            Body = JsonDocument.Parse("""{"reason":"test"}""").RootElement.Clone(),
        };

        var response = await ConsoleOf(h).ExecuteAsync(h.Admin, "hook", request);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("""{"ok":true}""", response.Body.GetRawText());
        Assert.False(response.IsChain);
        Assert.Empty(response.Trace);
        Assert.Equal(
            """{"method":"DELETE","uriFragments":{"id":"7"},"parameters":{},"headers":{"X-Tag":"b"},"body":{"reason":"test"}}""",
            Encoding.UTF8.GetString(Assert.Single(h.Receiver.RequestsTo("/hook")).Body));
    }

    [Fact]
    public async Task ExecuteAsync_TypedRequestWithBrokenMethodAndHeaders_ListsEveryViolation()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        await h.CreateTargetAsync("hook");
        var request = new ConsoleRequest
        {
            Method = "TRACE",
            Parameters = new Dictionary<string, string>(StringComparer.Ordinal) { [""] = "x" },
            Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["X-Ok"] = "line\r\nbreak", ["Bad:Name"] = "v" },
        };

        var error = await Assert.ThrowsAsync<ActionExecException>(() => ConsoleOf(h).ExecuteAsync(h.Admin, "hook", request).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal(
            [
                ("method", "The method 'TRACE' is not supported; give one of GET, POST, PUT, PATCH or DELETE, in capitals."),
                ("parameters", "A name is empty (its value is 'x'); give every entry a name."),
                ("headers", "The value of the header 'X-Ok' contains CR, LF or NUL; remove them."),
                ("headers", "The header name 'Bad:Name' is not a valid HTTP field name; use only letters, digits and !#$%&'*+-.^_`|~."),
            ],
            error.Violations.Select(v => (v.Field, v.Description)));
        Assert.Empty(h.Receiver.Requests);
    }

    [Fact]
    public async Task AddActionExecutions_RegistersTheConsoleAsASingleton()
    {
        await using var provider = new ServiceCollection().AddActionExecutions().Services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<ActionTestConsole>(), provider.GetRequiredService<ActionTestConsole>());
    }

    private static ActionTestConsole ConsoleOf(HttpActionsHarness h) => h.Services.GetRequiredService<ActionTestConsole>();

    private static async Task<JsonObject> RunAsync(HttpActionsHarness h, string actionId, string body)
    {
        var bytes = await ActivatorUtilities.CreateInstance<ManagementJsonCalls>(h.Services).ExecuteJsonAsync(h.Admin, actionId, Encoding.UTF8.GetBytes(body));
        return JsonNode.Parse(bytes)!.AsObject();
    }

    private static JsonObject Without(JsonObject response, string property)
    {
        var copy = response.DeepClone().AsObject();
        copy.Remove(property);
        return copy;
    }

    private static void AssertTrace(JsonObject response, params (CreatedTarget Target, int? Status, string Outcome)[] expected)
    {
        var rows = response["trace"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(expected.Length, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var (target, status, outcome) = expected[i];
            var keys = status is null ? new[] { "id", "name", "durationMs", "outcome" } : ["id", "name", "statusCode", "durationMs", "outcome"];
            Assert.Equal(keys, row.Select(p => p.Key));
            Assert.Equal(target.Target.Id, (string?)row["id"]);
            Assert.Equal(target.Target.Name, (string?)row["name"]);
            Assert.Equal(status, (int?)row["statusCode"]);
            Assert.Equal(outcome, (string?)row["outcome"]);
            Assert.True((double)row["durationMs"]! >= 0);
        }
    }

    private static void AssertNoStackTrace(string message)
    {
        Assert.DoesNotContain(" at ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", message, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", message, StringComparison.Ordinal);
    }
}
