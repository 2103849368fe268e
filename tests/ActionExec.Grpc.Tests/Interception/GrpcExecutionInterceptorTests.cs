using System.Diagnostics;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Grpc.Tests.Protos;
using ActionExec.Grpc.Tests.Support;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Grpc.Tests.Interception;

public sealed class GrpcExecutionInterceptorTests
{
    private const string Service = "actionexec.test.v1.EchoService";
    private const string Say = "/actionexec.test.v1.EchoService/Say";
    private const string SayMany = "/actionexec.test.v1.EchoService/SayMany";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Request_CallTargetRewrites_HandlerSeesTheRewrittenRequest(bool grpcWeb)
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/rewrite", ReceiverAnswer.Json("""{"name":"Rewritten","times":3}"""));
        var id = await host.CreateTargetAsync("rewrite", TargetType.Call);
        await host.SetExecutionAsync(Condition.RequestMethod(Say), id);

        var response = await Client(host, grpcWeb).SayAsync(new SayRequest { Name = "Ann", UserId = "u1" });

        Assert.Equal("Hello Rewritten", response.Message);
        var seen = Assert.Single(host.Calls.Requests);
        Assert.Equal(new SayRequest { Name = "Rewritten", Times = 3 }, seen);
        var payload = Assert.Single(host.Receiver.RequestsTo("/rewrite")).Json;
        Assert.Equal(Say, (string?)payload["fullMethod"]);
        Assert.Equal(GrpcHost.Tenant, (string?)payload["instanceID"]);
        Assert.Equal("""{"name":"Ann","userId":"u1"}""", payload["request"]!.ToJsonString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Response_CallTargetRewrites_ClientGetsTheRewrittenResponse(bool grpcWeb)
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/rewrite", ReceiverAnswer.Json("""{"message":"Rewritten","seen":["a","b"]}"""));
        var id = await host.CreateTargetAsync("rewrite", TargetType.Call);
        await host.SetExecutionAsync(Condition.ResponseMethod(Say), id);

        var response = await Client(host, grpcWeb).SayAsync(new SayRequest { Name = "Ann" });

        Assert.Equal(new SayResponse { Message = "Rewritten", Seen = { "a", "b" } }, response);
        var payload = Assert.Single(host.Receiver.RequestsTo("/rewrite")).Json;
        Assert.Equal("""{"name":"Ann"}""", payload["request"]!.ToJsonString());
        Assert.Equal("""{"message":"Hello Ann"}""", payload["response"]!.ToJsonString());
    }

    [Fact]
    public async Task Request_MethodServiceAndAll_TheBestMatchRunsAlone()
    {
        await using var host = await GrpcHost.StartAsync();
        foreach (var name in new[] { "all", "service", "method" })
        {
            host.Receiver.Answer("/" + name, ReceiverAnswer.Ok);
        }

        await host.SetExecutionAsync(Condition.AllRequests, await host.CreateTargetAsync("all"));
        await host.SetExecutionAsync(Condition.RequestService(Service), await host.CreateTargetAsync("service"));
        await host.SetExecutionAsync(Condition.RequestMethod(Say), await host.CreateTargetAsync("method"));

        await host.Echo.SayAsync(new SayRequest { Name = "say" });
        await host.Echo.ShoutAsync(new SayRequest { Name = "shout" });
        await host.Other.PingAsync(new SayRequest { Name = "ping" });

        Assert.Equal(["say"], host.Receiver.RequestsTo("/method").Select(r => (string?)r.Json["request"]!["name"]));
        Assert.Equal(["shout"], host.Receiver.RequestsTo("/service").Select(r => (string?)r.Json["request"]!["name"]));
        Assert.Equal(["ping"], host.Receiver.RequestsTo("/all").Select(r => (string?)r.Json["request"]!["name"]));
        Assert.Equal("/actionexec.test.v1.OtherService/Ping", (string?)host.Receiver.RequestsTo("/all")[0].Json["fullMethod"]);
    }

    [Fact]
    public async Task Request_TwoCallTargets_RunInOrderEachSeeingTheOneBefore()
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/first", ReceiverAnswer.Json("""{"name":"one"}"""));
        host.Receiver.Answer("/second", ReceiverAnswer.Json("""{"name":"two"}"""));
        var first = await host.CreateTargetAsync("first", TargetType.Call);
        var second = await host.CreateTargetAsync("second", TargetType.Call);
        await host.SetExecutionAsync(Condition.RequestMethod(Say), first, second);

        var response = await host.Echo.SayAsync(new SayRequest { Name = "Ann" });

        Assert.Equal("Hello two", response.Message);
        Assert.Equal("one", (string?)Assert.Single(host.Receiver.RequestsTo("/second")).Json["request"]!["name"]);
        Assert.True(host.Receiver.RequestsTo("/first")[0].Sequence < host.Receiver.RequestsTo("/second")[0].Sequence);
    }

    [Fact]
    public async Task Request_IncludedService_ItsTargetsRunWhereIncluded()
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/included", ReceiverAnswer.Ok);
        host.Receiver.Answer("/own", ReceiverAnswer.Ok);
        await host.SetExecutionAsync(Condition.RequestService(Service), await host.CreateTargetAsync("included"));
        var own = await host.CreateTargetAsync("own");
        await host.SetExecutionAsync(Condition.RequestMethod(Say), ExecutionEntry.ForInclude(Condition.RequestService(Service)), ExecutionEntry.ForTarget(own));

        await host.Echo.SayAsync(new SayRequest { Name = "Ann" });

        var included = Assert.Single(host.Receiver.RequestsTo("/included"));
        Assert.True(included.Sequence < Assert.Single(host.Receiver.RequestsTo("/own")).Sequence);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Request_InterruptingWebhookFails_FailedPreconditionWithStatusAndTheHandlerNeverRuns(bool grpcWeb)
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/gate", ReceiverAnswer.Text(500, "down"));
        await host.SetExecutionAsync(Condition.RequestMethod(Say), await host.CreateTargetAsync("gate"));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client(host, grpcWeb).SayAsync(new SayRequest { Name = "Ann" }));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.StartsWith("target gate failed: ", error.Status.Detail, StringComparison.Ordinal);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)Code.FailedPrecondition, status.Code);
        Assert.Equal(error.Status.Detail, status.Message);
        Assert.Empty(host.Calls.Requests);
    }

    [Theory]
    [InlineData(403, "Ann may not be greeted.", StatusCode.PermissionDenied)]
    [InlineData(404, "No Ann here.", StatusCode.NotFound)]
    [InlineData(401, "Who is Ann?", StatusCode.Unauthenticated)]
    [InlineData(400, "Bad Ann.", StatusCode.InvalidArgument)]
    [InlineData(409, "Ann again.", StatusCode.Aborted)]
    [InlineData(429, "Too much Ann.", StatusCode.ResourceExhausted)]
    [InlineData(418, "Ann is a teapot.", StatusCode.FailedPrecondition)]
    public async Task Request_Forwarded4xx_EndsWithItsGrpcCodeMessageAndStatus(int forwarded, string message, StatusCode expected)
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/gate", ReceiverAnswer.Json($$"""{"forwardedStatusCode":{{forwarded}},"forwardedErrorMessage":"{{message}}"}"""));
        await host.SetExecutionAsync(Condition.RequestMethod(Say), await host.CreateTargetAsync("gate"));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Echo.SayAsync(new SayRequest { Name = "Ann" }));

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(RpcErrors.ForwardedReason, info.Reason);
        Assert.Equal(forwarded.ToString(System.Globalization.CultureInfo.InvariantCulture), info.Metadata[RpcErrors.ForwardedStatusKey]);
        Assert.Empty(host.Calls.Requests);
    }

    [Fact]
    public async Task Response_InterruptingTargetFails_TheClientGetsTheStatusNotTheAnswer()
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/gate", ReceiverAnswer.Text(503, "down"));
        await host.SetExecutionAsync(Condition.ResponseMethod(Say), await host.CreateTargetAsync("gate"));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Echo.SayAsync(new SayRequest { Name = "Ann" }));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Single(host.Calls.Requests);
    }

    [Fact]
    public async Task Request_InterruptingTargetTimesOut_DeadlineExceeded()
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/slow", new ReceiverAnswer { Delay = TimeSpan.FromSeconds(30) });
        await host.SetExecutionAsync(Condition.RequestMethod(Say), await host.CreateTargetAsync("slow", timeout: TimeSpan.FromMilliseconds(300)));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Echo.SayAsync(new SayRequest { Name = "Ann" }));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.StartsWith("target slow failed: ", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(host.Calls.Requests);
    }

    [Fact]
    public async Task Request_FailingTargetWithoutInterrupt_HandlerSeesTheOriginalRequest()
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/flaky", ReceiverAnswer.Text(500, "down"));
        await host.SetExecutionAsync(Condition.RequestMethod(Say), await host.CreateTargetAsync("flaky", TargetType.Call, interrupt: false));

        var response = await host.Echo.SayAsync(new SayRequest { Name = "Ann" });

        Assert.Equal("Hello Ann", response.Message);
    }

    [Theory]
    [InlineData("""{"name":"Ann","nickname":"A"}""")]
    [InlineData("""{"name":5}""")]
    [InlineData("""{"times":"many"}""")]
    [InlineData("""[{"name":"Ann"}]""")]
    public async Task Request_CallTargetAnswerDoesNotFitTheMessage_ThatTargetFailedWithTheReason(string answer)
    {
        // The reason is the proto-JSON parser's own sentence; the test pins only that there is one.
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/rewrite", ReceiverAnswer.Json(answer));
        await host.SetExecutionAsync(Condition.RequestMethod(Say), await host.CreateTargetAsync("rewrite", TargetType.Call));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Echo.SayAsync(new SayRequest { Name = "Ann" }));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.StartsWith("target rewrite failed: its answer does not fit actionexec.test.v1.SayRequest: ", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(error.Status.Detail.Length > "target rewrite failed: its answer does not fit actionexec.test.v1.SayRequest: ".Length, error.Status.Detail);
        Assert.Empty(host.Calls.Requests);
    }

    [Fact]
    public async Task Request_UnfittingAnswerWithoutInterrupt_TheNextTargetAndTheHandlerSeeTheMessageBefore()
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/unfit", ReceiverAnswer.Json("""{"nickname":"A"}"""));
        host.Receiver.Answer("/after", ReceiverAnswer.Ok);
        var unfit = await host.CreateTargetAsync("unfit", TargetType.Call, interrupt: false);
        var after = await host.CreateTargetAsync("after");
        await host.SetExecutionAsync(Condition.RequestMethod(Say), unfit, after);

        var response = await host.Echo.SayAsync(new SayRequest { Name = "Ann" });

        Assert.Equal("Hello Ann", response.Message);
        Assert.Equal("""{"name":"Ann"}""", Assert.Single(host.Receiver.RequestsTo("/after")).Json["request"]!.ToJsonString());
    }

    [Fact]
    public async Task Response_TargetAnswers10MiB_TheLimitFailsIt()
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/big", ReceiverAnswer.Json(BigAnswer()));
        await host.SetExecutionAsync(Condition.ResponseMethod(Say), await host.CreateTargetAsync("big", TargetType.Call));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Echo.SayAsync(new SayRequest { Name = "Ann" }));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("exceeds the limit of 1048576 bytes", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_TargetAnswers10MiBWithinARaisedLimit_TheClientGetsIt()
    {
        await using var host = await GrpcHost.StartAsync(services: s => s.Configure<DispatchOptions>(o => o.MaxResponseBytes = 16 * 1024 * 1024));
        var answer = BigAnswer();
        host.Receiver.Answer("/big", ReceiverAnswer.Json(answer));
        await host.SetExecutionAsync(Condition.ResponseMethod(Say), await host.CreateTargetAsync("big", TargetType.Call));

        var response = await host.Echo.SayAsync(new SayRequest { Name = "Ann" });

        Assert.Equal(10 * 1024 * 1024, response.Message.Length);
    }

    [Fact]
    public async Task Request_AsyncTarget_DoesNotDelayTheCall()
    {
        await using var host = await GrpcHost.StartAsync();
        var arrived = new TaskCompletionSource<ReceivedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Receiver.Answer("/later", request =>
        {
            arrived.TrySetResult(request);
            return new ReceiverAnswer { Delay = TimeSpan.FromSeconds(5) };
        });
        await host.SetExecutionAsync(Condition.RequestMethod(Say), await host.CreateTargetAsync("later", TargetType.Async, interrupt: false));

        var watch = Stopwatch.StartNew();
        var response = await host.Echo.SayAsync(new SayRequest { Name = "Ann" });
        watch.Stop();

        Assert.Equal("Hello Ann", response.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"The call took {watch.Elapsed}.");
        var delivered = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("""{"name":"Ann"}""", delivered.Json["request"]!.ToJsonString());
    }

    [Fact]
    public async Task Request_ClientCancelsWhileATargetRuns_TheCallIsCancelledAndTheHandlerNeverRuns()
    {
        await using var host = await GrpcHost.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Receiver.Answer("/slow", _ =>
        {
            arrived.TrySetResult();
            return new ReceiverAnswer { Delay = TimeSpan.FromSeconds(30) };
        });
        await host.SetExecutionAsync(Condition.RequestMethod(Say), await host.CreateTargetAsync("slow", timeout: TimeSpan.FromSeconds(20)));
        using var cancel = new CancellationTokenSource();

        var call = host.Echo.SayAsync(new SayRequest { Name = "Ann" }, cancellationToken: cancel.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var watch = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call);

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Empty(host.Calls.Requests);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Request_ClientDeadlineShorterThanTheTargetTimeout_DeadlineExceededAtTheDeadline()
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/slow", new ReceiverAnswer { Delay = TimeSpan.FromSeconds(30) });
        await host.SetExecutionAsync(Condition.RequestMethod(Say), await host.CreateTargetAsync("slow", timeout: TimeSpan.FromSeconds(20)));

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Echo.SayAsync(new SayRequest { Name = "Ann" }, deadline: DateTime.UtcNow.AddMilliseconds(500)));
        watch.Stop();

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"The call took {watch.Elapsed}.");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Empty(host.Calls.Requests);
    }

    [Fact]
    public async Task Streaming_ExecutionOnTheMethod_PassesThroughUntouched()
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/gate", ReceiverAnswer.Text(500, "down"));
        var gate = await host.CreateTargetAsync("gate");
        await host.SetExecutionAsync(Condition.RequestMethod(SayMany), gate);
        await host.SetExecutionAsync(Condition.ResponseMethod(SayMany), gate);

        using var call = host.Echo.SayMany(new SayRequest { Name = "Ann", Times = 3 });
        var messages = new List<string>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            messages.Add(message.Message);
        }

        Assert.Equal(["Hello Ann", "Hello Ann", "Hello Ann"], messages);
        Assert.Empty(host.Receiver.Requests);
    }

    [Fact]
    public async Task Request_ConfigureFlowContext_TheCallsContextReachesTheTarget()
    {
        await using var host = await GrpcHost.StartAsync(configure: a => a.ConfigureFlowContext((http, context) =>
            context with { OrgId = http.Request.Headers["x-org"].ToString(), UserId = "user-7" }));
        host.Receiver.Answer("/hook", ReceiverAnswer.Ok);
        await host.SetExecutionAsync(Condition.RequestMethod(Say), await host.CreateTargetAsync("hook"));

        await host.Echo.SayAsync(new SayRequest { Name = "Ann" }, new Metadata { { "x-org", "org-42" } });

        var payload = Assert.Single(host.Receiver.RequestsTo("/hook")).Json;
        Assert.Equal("org-42", (string?)payload["orgID"]);
        Assert.Equal("user-7", (string?)payload["userID"]);
        var headers = payload["headers"]!.AsObject();
        var contentType = Assert.Single(headers, h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("application/grpc", (string?)contentType.Value![0]);
        Assert.DoesNotContain("x-org", headers.Select(h => h.Key), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Request_AllowListedMetadata_ReachesTheTargetAsAHeader()
    {
        await using var host = await GrpcHost.StartAsync(services: s => s.Configure<DispatchOptions>(o => o.HeaderAllowList.Add("x-trace")));
        host.Receiver.Answer("/hook", ReceiverAnswer.Ok);
        await host.SetExecutionAsync(Condition.RequestMethod(Say), await host.CreateTargetAsync("hook"));

        await host.Echo.SayAsync(new SayRequest { Name = "Ann" }, new Metadata { { "x-trace", "t-1" } });

        var headers = Assert.Single(host.Receiver.RequestsTo("/hook")).Json["headers"]!.AsObject();
        var trace = Assert.Single(headers, h => string.Equals(h.Key, "x-trace", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("t-1", (string?)trace.Value![0]);
    }

    [Fact]
    public async Task Call_NoExecution_TheHandlerAnswersAndNoTargetIsCalled()
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/hook", ReceiverAnswer.Ok);
        await host.SetExecutionAsync(Condition.RequestMethod("/actionexec.test.v1.EchoService/Shout"), await host.CreateTargetAsync("hook"));

        var response = await host.Echo.SayAsync(new SayRequest { Name = "Ann" });

        Assert.Equal("Hello Ann", response.Message);
        Assert.Empty(host.Receiver.Requests);
    }

    private static EchoService.EchoServiceClient Client(GrpcHost host, bool grpcWeb) => grpcWeb ? host.WebEcho : host.Echo;

    private static string BigAnswer() => $$"""{"message":"{{new string('x', 10 * 1024 * 1024)}}"}""";

    [Fact]
    public async Task Request_ManagementServiceMappedNextToTheHostsOwn_IsNeverIntercepted()
    {
        await using var host = await GrpcHost.StartAsync(management: true);
        host.Receiver.Answer("/gate", ReceiverAnswer.Text(500, "down"));
        await host.SetExecutionAsync(Condition.AllRequests, await host.CreateTargetAsync("gate", TargetType.Call));

        var own = await Assert.ThrowsAsync<RpcException>(async () => await host.Echo.SayAsync(new SayRequest { Name = "Ann" }));
        var management = await Assert.ThrowsAsync<RpcException>(async () => await host.Actions.ListTargetsAsync(new Zitadel.Action.V2Beta.ListTargetsRequest()));

        // The host's own call meets the failing target; the management call never does: it is refused for having no caller.
        Assert.Equal(StatusCode.FailedPrecondition, own.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, management.StatusCode);
        Assert.Single(host.Receiver.RequestsTo("/gate"));
    }
}
