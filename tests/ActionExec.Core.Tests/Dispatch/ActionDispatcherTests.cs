using System.Collections.Immutable;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Http;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Dispatch;

/// <summary>The four flows of the dispatcher over real HTTP: every target is a path on a loopback receiver.</summary>
public sealed class ActionDispatcherTests
{
    private const string Method = "/zitadel.user.v2.UserService/AddHumanUser";
    private static readonly Condition MethodCondition = Condition.RequestMethod(Method);

    [Fact]
    public async Task EveryFlow_NullArgument_ThrowsNamingTheParameter()
    {
        await using var h = await HttpActionsHarness.StartAsync();

        Assert.Equal("fullMethod", (await Assert.ThrowsAsync<ArgumentNullException>(() => h.Dispatcher.RunRequestAsync(h.Context, null!, default(FlowMessage)).AsTask())).ParamName);
        Assert.Equal("fullMethod", (await Assert.ThrowsAsync<ArgumentNullException>(() => h.Dispatcher.RunResponseAsync(h.Context, null!, default, default).AsTask())).ParamName);
        Assert.Equal("function", (await Assert.ThrowsAsync<ArgumentNullException>(() => h.Dispatcher.RunFunctionAsync(h.Context, null!).AsTask())).ParamName);
        Assert.Equal("actionEvent", (await Assert.ThrowsAsync<ArgumentNullException>(() => h.Dispatcher.PublishEventAsync(h.Context, null!).AsTask())).ParamName);
        Assert.Equal("context", (await Assert.ThrowsAsync<ArgumentNullException>(() => h.Dispatcher.RunRequestAsync(null!, Method, new JsonObject()).AsTask())).ParamName);
    }

    [Fact]
    public async Task RunRequestAsync_NoExecutionApplies_AllocatesNothing()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var other = await h.CreateTargetAsync("other");
        await h.SetAsync(Condition.RequestMethod(Method + "Other"), other);
        using var document = System.Text.Json.JsonDocument.Parse("""{"username":"ann"}""");
        var request = document.RootElement;
        var node = new JsonObject();
        await h.Dispatcher.RunRequestAsync(h.Context, Method, request);
        await h.Dispatcher.RunRequestAsync(h.Context, Method, node);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var element = h.Dispatcher.RunRequestAsync(h.Context, Method, request);
        var same = h.Dispatcher.RunRequestAsync(h.Context, Method, node);
        var message = h.Dispatcher.RunRequestAsync(h.Context, Method, FlowMessage.FromElement(request));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(element.IsCompletedSuccessfully && same.IsCompletedSuccessfully && message.IsCompletedSuccessfully);
        Assert.Same(node, await same);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task RunRequestAsync_ThreeTargets_CallsThemInExecutionOrder()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var first = await h.CreateTargetAsync("first");
        var second = await h.CreateTargetAsync("second", TargetType.Call);
        var third = await h.CreateTargetAsync("third");
        await h.SetAsync(MethodCondition, second, first, third);
        h.Receiver.Answer("/first", ReceiverAnswer.Ok);
        h.Receiver.Answer("/second", ReceiverAnswer.Json("""{"name":"second"}"""));
        h.Receiver.Answer("/third", ReceiverAnswer.Ok);

        await h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("""{"name":"original"}"""));

        Assert.Equal(["/second", "/first", "/third"], h.Receiver.Requests.OrderBy(r => r.Sequence).Select(r => r.Path));
    }

    [Fact]
    public async Task RunRequestAsync_CallTargetRewritesTheRequest_TheNextTargetAndTheHostSeeTheRewrite()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var call = await h.CreateTargetAsync("call", TargetType.Call, interrupt: true);
        var after = await h.CreateTargetAsync("after");
        await h.SetAsync(MethodCondition, call, after);
        h.Receiver.Answer("/call", ReceiverAnswer.Json("""{"username":"rewritten","extra":[1,2]}"""));
        h.Receiver.Answer("/after", ReceiverAnswer.Ok);
        var context = h.Context with
        {
            Headers =
            [
                new("Content-Type", ["application/json"]),
                new("Origin", ["https://app.example.com"]),
                new("Authorization", ["Bearer secret"]),
                new("Cookie", ["session=secret"]),
                new("X-Forwarded-For", ["203.0.113.7", "10.0.0.1"]),
            ],
        };

        var result = await h.Dispatcher.RunRequestAsync(context, Method, JsonNode.Parse("""{"username":"original"}"""));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"username":"rewritten","extra":[1,2]}"""), result));
        var expectedHeaders = """{"Content-Type":["application/json"],"Origin":["https://app.example.com"],"X-Forwarded-For":["203.0.113.7","10.0.0.1"]}""";
        var sentToCall = Assert.Single(h.Receiver.RequestsTo("/call")).Json;
        Assert.True(
            JsonNode.DeepEquals(
                JsonNode.Parse($$"""{"fullMethod":"{{Method}}","instanceID":"{{HttpActionsHarness.Tenant}}","orgID":"org-1","userID":"user-1","request":{"username":"original"},"headers":{{expectedHeaders}}}"""),
                sentToCall),
            sentToCall.ToJsonString());
        var sentToAfter = Assert.Single(h.Receiver.RequestsTo("/after")).Json;
        Assert.True(
            JsonNode.DeepEquals(
                JsonNode.Parse($$"""{"fullMethod":"{{Method}}","instanceID":"{{HttpActionsHarness.Tenant}}","orgID":"org-1","userID":"user-1","request":{"username":"rewritten","extra":[1,2]},"headers":{{expectedHeaders}}}"""),
                sentToAfter),
            sentToAfter.ToJsonString());
    }

    [Fact]
    public async Task RunResponseAsync_CallTargetRewritesTheResponse_TheClientSeesTheRewrite()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var call = await h.CreateTargetAsync("call", TargetType.Call);
        var after = await h.CreateTargetAsync("after");
        await h.SetAsync(Condition.ResponseMethod(Method), call, after);
        h.Receiver.Answer("/call", ReceiverAnswer.Json("""{"userId":"123","details":{"sequence":"9"}}"""));
        h.Receiver.Answer("/after", ReceiverAnswer.Ok);

        var result = await h.Dispatcher.RunResponseAsync(h.Context, Method, JsonNode.Parse("""{"username":"u"}"""), JsonNode.Parse("""{"userId":"123"}"""));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"userId":"123","details":{"sequence":"9"}}"""), result));
        var sentToCall = Assert.Single(h.Receiver.RequestsTo("/call")).Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"username":"u"}"""), sentToCall["request"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"userId":"123"}"""), sentToCall["response"]));
        var sentToAfter = Assert.Single(h.Receiver.RequestsTo("/after")).Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"username":"u"}"""), sentToAfter["request"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"userId":"123","details":{"sequence":"9"}}"""), sentToAfter["response"]));
    }

    [Fact]
    public async Task RunFunctionAsync_CallAnswerThatIsNotAnObject_IsSkippedOrInterrupts()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var array = await h.CreateTargetAsync("array", TargetType.Call);
        var strict = await h.CreateTargetAsync("strict", TargetType.Call, interrupt: true);
        var good = await h.CreateTargetAsync("good", TargetType.Call);
        h.Receiver.Answer("/array", ReceiverAnswer.Json("""["not", "an", "object"]"""));
        h.Receiver.Answer("/strict", ReceiverAnswer.Json("42"));
        h.Receiver.Answer("/good", ReceiverAnswer.Json("""{"kept":true}"""));

        await h.SetAsync(Condition.Function("lenient"), array, good);
        var merged = await h.Dispatcher.RunFunctionAsync(h.Context, "lenient");
        await h.SetAsync(Condition.Function("interrupting"), strict, good);
        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunFunctionAsync(h.Context, "interrupting").AsTask());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"kept":true}"""), merged), merged.ToJsonString());
        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("target strict failed: its answer is not a JSON object", error.Message);
        Assert.Single(h.Receiver.RequestsTo("/good"));
    }

    [Fact]
    public async Task RunFunctionAsync_TwoCallTargets_MergesTheirAnswersLaterOverwritingEarlierTopLevelKeys()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var first = await h.CreateTargetAsync("first", TargetType.Call);
        var second = await h.CreateTargetAsync("second", TargetType.Call);
        await h.SetAsync(Condition.Function("preaccesstoken"), first, second);
        h.Receiver.Answer("/first", ReceiverAnswer.Json("""{"claims":{"role":"admin"},"log":["first"]}"""));
        h.Receiver.Answer("/second", ReceiverAnswer.Json("""{"log":["second"],"metadata":{"k":"v"}}"""));

        var result = await h.Dispatcher.RunFunctionAsync(h.Context, "preaccesstoken", new JsonObject { ["userinfo"] = new JsonObject { ["sub"] = "u1" } });

        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse("""{"claims":{"role":"admin"},"log":["second"],"metadata":{"k":"v"}}"""), result),
            result.ToJsonString());
        var sentToFirst = Assert.Single(h.Receiver.RequestsTo("/first")).Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"function":"function/preaccesstoken","userinfo":{"sub":"u1"},"response":{}}"""), sentToFirst));
        var sentToSecond = Assert.Single(h.Receiver.RequestsTo("/second")).Json;
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"function":"function/preaccesstoken","userinfo":{"sub":"u1"},"response":{"claims":{"role":"admin"},"log":["first"]}}"""),
            sentToSecond));
    }

    [Theory]
    [InlineData("transport", ActionExecErrorCode.FailedPrecondition, "target failing failed: no answer: HttpRequestException: ")]
    [InlineData("timeout", ActionExecErrorCode.DeadlineExceeded, "target failing failed: no answer within its timeout of 0.3s")]
    [InlineData("404", ActionExecErrorCode.FailedPrecondition, "target failing failed: it answered 404")]
    [InlineData("500", ActionExecErrorCode.FailedPrecondition, "target failing failed: it answered 500")]
    [InlineData("302", ActionExecErrorCode.FailedPrecondition, "target failing failed: it answered 302 (redirects are not followed)")]
    [InlineData("oversized", ActionExecErrorCode.FailedPrecondition, "target failing failed: its answer of 2097152 bytes exceeds the limit of 1048576 bytes")]
    [InlineData("oversized-chunked", ActionExecErrorCode.FailedPrecondition, "target failing failed: its answer exceeds the limit of 1048576 bytes")]
    [InlineData("not-json", ActionExecErrorCode.FailedPrecondition, "target failing failed: its answer is not JSON")]
    [InlineData("forwarded-403", ActionExecErrorCode.PermissionDenied, "the user may not sign up here")]
    [InlineData("forwarded-400", ActionExecErrorCode.InvalidArgument, "the username is taken")]
    [InlineData("forwarded-500", ActionExecErrorCode.FailedPrecondition, "target failing failed: it forwarded status 500: upstream broke")]
    public async Task RunRequestAsync_InterruptingTargetFails_StopsTheFlowWithTheMappedError(string kind, ActionExecErrorCode code, string message)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var failing = await CreateFailingTargetAsync(h, kind, interrupt: true);
        var after = await h.CreateTargetAsync("after");
        await h.SetAsync(MethodCondition, failing, after);
        h.Receiver.Answer("/after", ReceiverAnswer.Ok);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("""{"username":"original"}""")).AsTask());

        Assert.Equal(code, error.Code);
        if (string.Equals(kind, "transport", StringComparison.Ordinal))
        {
            Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(message, error.Message);
        }

        Assert.Empty(error.Violations);
        Assert.Empty(h.Receiver.RequestsTo("/after"));
        Assert.Empty(h.Receiver.RequestsTo("/elsewhere"));
    }

    [Theory]
    [InlineData("transport")]
    [InlineData("timeout")]
    [InlineData("404")]
    [InlineData("500")]
    [InlineData("302")]
    [InlineData("oversized")]
    [InlineData("oversized-chunked")]
    [InlineData("not-json")]
    [InlineData("forwarded-403")]
    [InlineData("forwarded-500")]
    public async Task RunRequestAsync_NonInterruptingTargetFails_GoesOnWithTheUnchangedRequest(string kind)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var failing = await CreateFailingTargetAsync(h, kind, interrupt: false);
        var after = await h.CreateTargetAsync("after");
        await h.SetAsync(MethodCondition, failing, after);
        h.Receiver.Answer("/after", ReceiverAnswer.Ok);
        var request = JsonNode.Parse("""{"username":"original"}""");

        var result = await h.Dispatcher.RunRequestAsync(h.Context, Method, request);

        Assert.Same(request, result);
        var sentToAfter = Assert.Single(h.Receiver.RequestsTo("/after")).Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"username":"original"}"""), sentToAfter["request"]));
        Assert.Empty(h.Receiver.RequestsTo("/elsewhere"));
    }

    [Fact]
    public async Task RunRequestAsync_ForwardedForbidden_ReachesTheHostAs403WithTheForwardedMessage()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("guard", TargetType.Webhook, interrupt: true);
        await h.SetAsync(MethodCondition, target);
        h.Receiver.Answer("/guard", ReceiverAnswer.Json("""{"forwardedStatusCode":403,"forwardedErrorMessage":"blocked by policy"}"""));

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("{}")).AsTask());

        Assert.Equal(403, error.HttpStatusCode);
        Assert.Equal(403, error.ForwardedHttpStatusCode);
        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
        Assert.Equal("blocked by policy", error.Message);
    }

    [Fact]
    public async Task RunRequestAsync_InterruptingTargetOnADeniedEndpoint_FailsWithoutConnecting()
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddHttpTargets(o => o.DeniedNetworks.Add("127.0.0.0/8")));
        var target = await h.CreateTargetAsync("local", interrupt: true, endpoint: $"http://localhost:{h.Receiver.Port}/local");
        await h.SetAsync(MethodCondition, target);
        h.Receiver.Answer("/local", ReceiverAnswer.Ok);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("{}")).AsTask());

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal($"target local failed: endpoint http://localhost:{h.Receiver.Port}/local is denied: localhost resolves to 127.0.0.1, in the denied network 127.0.0.0/8", error.Message);
        Assert.Equal(0, h.Receiver.Connections);
    }

    [Fact]
    public async Task RunRequestAsync_SignedTargets_EveryRequestVerifiesAndEqualsAnIndependentHmac()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var zitadel = await h.CreateTargetAsync("zitadel", TargetType.Call, scheme: SignatureScheme.Zitadel);
        var standard = await h.CreateTargetAsync("standard", TargetType.Call, scheme: SignatureScheme.StandardWebhooks);
        var webhook = await h.CreateTargetAsync("webhook", scheme: SignatureScheme.StandardWebhooks);
        await h.SetAsync(MethodCondition, zitadel, standard, webhook);
        h.Receiver.Answer("/zitadel", ReceiverAnswer.Json("""{"step":1}"""));
        h.Receiver.Answer("/standard", ReceiverAnswer.Json("""{"step":2}"""));
        h.Receiver.Answer("/webhook", ReceiverAnswer.Ok);

        await h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("""{"step":0}"""));

        CreatedTarget[] targets = [zitadel, standard, webhook];
        Assert.Equal(3, h.Receiver.Requests.Count);
        foreach (var received in h.Receiver.Requests)
        {
            HttpTargetInvokerTests.AssertSigned(received, targets.Single(t => string.Equals("/" + t.Target.Name, received.Path, StringComparison.Ordinal)), time);
        }
    }

    [Fact]
    public async Task RunRequestAsync_TwoTargets_EachRequestHasItsOwnWebhookId()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var call = await h.CreateTargetAsync("call", TargetType.Call, scheme: SignatureScheme.StandardWebhooks);
        var webhook = await h.CreateTargetAsync("webhook", scheme: SignatureScheme.StandardWebhooks);
        await h.SetAsync(MethodCondition, call, webhook);
        h.Receiver.Answer("/call", ReceiverAnswer.Json("""{"step":1}"""));
        h.Receiver.Answer("/webhook", ReceiverAnswer.Ok);

        await h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("""{"step":0}"""));

        var ids = h.Receiver.Requests.Select(r => r.Header("webhook-id")).ToList();
        Assert.Equal(2, ids.Count);
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public async Task RunRequestAsync_InprocInvoker_ReceivesTheSamePayloadBytesAsAnHttpTarget()
    {
        var inproc = new RecordingInvoker();
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddTargetInvoker("inproc", inproc));
        var http = await h.CreateTargetAsync("http");
        var local = await h.CreateTargetAsync("local", endpoint: "inproc://validators/users");
        await h.SetAsync(MethodCondition, http, local);
        h.Receiver.Answer("/http", ReceiverAnswer.Ok);
        var context = h.Context with { Headers = [new("Origin", ["https://app.example.com"])] };

        await h.Dispatcher.RunRequestAsync(context, Method, JsonNode.Parse("""{"username":"ünïcode"}"""));

        var received = Assert.Single(h.Receiver.Requests);
        var call = Assert.Single(inproc.Requests);
        Assert.Equal(received.Body, call.Payload.ToArray());
        Assert.Equal("local", call.Target.Name);
        Assert.Equal(new Uri("inproc://validators/users"), call.Endpoint);
    }

    [Fact]
    public async Task CreateTarget_InprocClaimed_AcceptsItAndStillRejectsAnUnclaimedScheme()
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddTargetInvoker("inproc", new RecordingInvoker()));

        await h.CreateTargetAsync("local", endpoint: "inproc://validators/users");
        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.CreateTargetAsync("files", endpoint: "ftp://files.example.com/drop"));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        var violation = Assert.Single(error.Violations);
        Assert.Equal("endpoint", violation.Field);
        Assert.Equal("The endpoint 'ftp://files.example.com/drop' uses the scheme 'ftp', which no target invoker handles; use one of: http, https, inproc.", violation.Description);
    }

    /// <summary>Creates the call target <c>failing</c> and scripts the receiver so that calling it fails as <paramref name="kind"/> says.</summary>
    private static async Task<CreatedTarget> CreateFailingTargetAsync(HttpActionsHarness h, string kind, bool interrupt)
    {
        var receiver = h.Receiver;
        switch (kind)
        {
            case "transport":
                return await h.CreateTargetAsync("failing", TargetType.Call, interrupt, endpoint: HttpActionsHarness.ClosedPortUrl());
            case "timeout":
                receiver.Answer("/failing", ReceiverAnswer.Json("{}") with { Delay = TimeSpan.FromSeconds(30) });
                return await h.CreateTargetAsync("failing", TargetType.Call, interrupt, timeout: TimeSpan.FromMilliseconds(300));
            case "302":
                receiver.Answer("/failing", ReceiverAnswer.Redirect(receiver.Url("/elsewhere")));
                receiver.Answer("/elsewhere", ReceiverAnswer.Json("""{"username":"redirected"}"""));
                break;
            case "oversized":
            case "oversized-chunked":
                receiver.Answer("/failing", new ReceiverAnswer { Body = new byte[2 * 1024 * 1024], Chunked = string.Equals(kind, "oversized-chunked", StringComparison.Ordinal) });
                break;
            case "not-json":
                receiver.Answer("/failing", ReceiverAnswer.Text(200, "accepted"));
                break;
            case "forwarded-403":
                receiver.Answer("/failing", ReceiverAnswer.Json("""{"forwardedStatusCode":403,"forwardedErrorMessage":"the user may not sign up here"}"""));
                break;
            case "forwarded-400":
                receiver.Answer("/failing", ReceiverAnswer.Json("""{"forwardedStatusCode":400,"forwardedErrorMessage":"the username is taken"}"""));
                break;
            case "forwarded-500":
                receiver.Answer("/failing", ReceiverAnswer.Json("""{"forwardedStatusCode":500,"forwardedErrorMessage":"upstream broke"}"""));
                break;
            default:
                receiver.Answer("/failing", ReceiverAnswer.Text(int.Parse(kind, System.Globalization.CultureInfo.InvariantCulture), "failed"));
                break;
        }

        return await h.CreateTargetAsync("failing", TargetType.Call, interrupt);
    }

    private sealed class RecordingInvoker : ITargetInvoker
    {
        private readonly List<TargetRequest> _requests = [];

        public ImmutableArray<TargetRequest> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        public ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
        {
            lock (_requests)
            {
                _requests.Add(new TargetRequest(request.Target, request.Payload.ToArray(), request.DeliveryId, request.Attempt, request.SigningKey));
            }

            return ValueTask.FromResult(TargetResponse.Ok());
        }
    }
}
