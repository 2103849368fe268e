using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActionExec.Testing.Tests.Hosting;

public sealed class ActionExecTestHostTests
{
    private const string Method = "/users.v1.UserService/AddUser";

    private static readonly ActionEvent UserAdded = new() { EventType = "user.human.added", AggregateId = "u1", AggregateType = "user" };

    [Fact]
    public async Task StartAsync_TargetAndExecution_TheRequestFlowCallsTheTarget()
    {
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .Target("audit", TargetType.Webhook)
            .Execution(Condition.RequestMethod(Method), "audit"));

        await host.Dispatcher.RunRequestAsync(host.Context, Method, JsonNode.Parse("""{"name":"Ada"}"""));

        var request = host.Invoker.Requests.ShouldHaveCalledOnce("audit");
        Assert.Equal("Ada", (string)request.Payload!["request"]!["name"]!);
        Assert.Equal(ActionExecTestHost.DefaultTenantId, (string)request.Payload["instanceID"]!);
        Assert.Equal(host.TargetId("audit"), request.TargetId);
    }

    [Fact]
    public async Task StartAsync_CallTargets_RunInOrderAndReplaceTheRequest()
    {
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .Target("normalise", TargetType.Call)
            .Target("check", TargetType.Call)
            .Execution(Condition.RequestService("users.v1.UserService"), "normalise", "check"));
        host.Invoker.For("normalise").Answer("""{"name":"ADA"}""");

        var request = await host.Dispatcher.RunRequestAsync(host.Context, Method, JsonNode.Parse("""{"name":"Ada"}"""));

        Assert.Equal("ADA", (string)request!["name"]!);
        host.Invoker.Requests.ShouldHaveCalledExactly("normalise", "check");
        Assert.Equal("ADA", (string)host.Invoker.Requests.ShouldHaveCalled("check").Payload!["request"]!["name"]!);
    }

    [Fact]
    public async Task StartAsync_InterruptingTargetForwardsAnError_TheFlowFailsWithItsStatus()
    {
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .Target("guard", TargetType.Call, interruptOnError: true)
            .Execution(Condition.RequestMethod(Method), "guard"));
        host.Invoker.For("guard").ForwardError(403, "signups are closed");

        var e = await Assert.ThrowsAsync<ActionExecException>(async () => await host.Dispatcher.RunRequestAsync(host.Context, Method, JsonNode.Parse("{}")));

        Assert.Equal(ActionExecErrorCode.PermissionDenied, e.Code);
    }

    [Fact]
    public async Task StartAsync_InterruptingTargetTimesOut_TheFlowFailsWithDeadlineExceeded()
    {
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .Target("slow", TargetType.Webhook, interruptOnError: true)
            .Execution(Condition.RequestMethod(Method), "slow"));
        host.Invoker.For("slow").TimeOut();

        var e = await Assert.ThrowsAsync<ActionExecException>(async () => await host.Dispatcher.RunRequestAsync(host.Context, Method, JsonNode.Parse("{}")));

        Assert.Equal(ActionExecErrorCode.DeadlineExceeded, e.Code);
    }

    [Fact]
    public async Task PublishEventAsync_InlineDelivery_TheTargetsAreCalledBeforeItReturns()
    {
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .Target("welcome", TargetType.Async)
            .Target("crm", TargetType.Async)
            .Execution(Condition.EventGroup("user.human"), "welcome", "crm"));

        await host.Dispatcher.PublishEventAsync(host.Context, UserAdded);

        var calls = host.Invoker.Requests.ShouldHaveCalledInOrder("welcome", "crm");
        Assert.Equal("user.human.added", (string)calls[0].Payload!["event_type"]!);
        Assert.Equal(calls[0].DeliveryId, calls[1].DeliveryId);
    }

    [Fact]
    public async Task RunRequestAsync_AsyncTarget_IsDeliveredBeforeItReturns()
    {
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .Target("later", TargetType.Async)
            .Execution(Condition.RequestMethod(Method), "later"));

        await host.Dispatcher.RunRequestAsync(host.Context, Method, JsonNode.Parse("{}"));

        host.Invoker.Requests.ShouldHaveCalledOnce("later");
    }

    [Fact]
    public async Task AdvanceAsync_FailedAttempt_IsRetriedOnTheScheduleOfTheFakeClock()
    {
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .Target("welcome", TargetType.Async)
            .Execution(Condition.Event("user.human.added"), "welcome"));
        host.Invoker.For("welcome").FailWithStatus(503).Answer("{}");

        await host.Dispatcher.PublishEventAsync(host.Context, UserAdded);
        host.Invoker.Requests.ShouldHaveCalled("welcome", times: 1);

        await host.AdvanceAsync(TimeSpan.FromSeconds(4));
        host.Invoker.Requests.ShouldHaveCalled("welcome", times: 1);

        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        var attempts = host.Invoker.Requests.ShouldHaveCalled("welcome", times: 2);
        Assert.Equal([1, 2], attempts.Select(r => r.Attempt));
        Assert.Equal(attempts[0].DeliveryId, attempts[1].DeliveryId);
    }

    [Fact]
    public async Task Management_DeliveryHistory_ShowsTheAttemptsOfInlineDeliveriesAndReplaysADeadLetter()
    {
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .Target("welcome", TargetType.Async)
            .Execution(Condition.Event("user.human.added"), "welcome"));
        host.Invoker.For("welcome").FailWithStatus(400).Answer("{}");

        await host.Dispatcher.PublishEventAsync(host.Context, UserAdded);
        var listed = Assert.Single((await host.Management.ListDeliveriesAsync(host.Caller, new DeliveryQuery())).Deliveries);
        Assert.Equal(DeliveryStatus.DeadLettered, listed.Status);

        await host.Management.ReplayDeliveryAsync(host.Caller, listed.Id);
        await host.DeliverDueAsync();

        var record = await host.Management.GetDeliveryAsync(host.Caller, listed.Id);
        Assert.Equal(DeliveryStatus.Delivered, record.Status);
        Assert.Equal([DeliveryAttemptOutcome.GaveUp, DeliveryAttemptOutcome.Succeeded], record.Attempts.Select(a => a.Outcome));
        var requests = host.Invoker.Requests.ShouldHaveCalled("welcome", times: 2);
        Assert.Equal(requests[0].DeliveryId, requests[1].DeliveryId);
    }

    [Fact]
    public async Task StartAsync_HostsHttpTarget_IsAnsweredByTheRecordingInvoker()
    {
        // Loopback, which the endpoint policy denies by default: had the recording invoker not answered, nothing would connect.
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .Target(new TargetSpec { Name = "crm", Endpoint = "http://127.0.0.1:9/hooks/crm", Type = TargetType.Call, Timeout = TimeSpan.FromSeconds(5), InterruptOnError = true })
            .Execution(Condition.RequestMethod(Method), "crm"));

        await host.Dispatcher.RunRequestAsync(host.Context, Method, JsonNode.Parse("{}"));

        Assert.Equal(new Uri("http://127.0.0.1:9/hooks/crm"), host.Invoker.Requests.ShouldHaveCalledOnce("crm").Endpoint);
    }

    [Fact]
    public async Task KeepHttpInvoker_HttpTarget_GoesToTheHttpInvokerUnderTheEndpointPolicy()
    {
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .KeepHttpInvoker()
            .Target(new TargetSpec { Name = "crm", Endpoint = "http://127.0.0.1:9/hooks/crm", Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(5), InterruptOnError = true })
            .Execution(Condition.RequestMethod(Method), "crm"));

        var e = await Assert.ThrowsAsync<ActionExecException>(async () => await host.Dispatcher.RunRequestAsync(host.Context, Method, JsonNode.Parse("{}")));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, e.Code);
        host.Invoker.Requests.ShouldHaveCalledNothing();
    }

    [Fact]
    public async Task StartAsync_ServicesAndSeed_TheHostsRegistrationsAndSetupApply()
    {
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .Services(s => s.AddSingleton(new Greeting("hello")))
            .Seed(async (management, caller, ct) =>
            {
                var target = await management.CreateTargetAsync(caller, new TargetSpec { Name = "seeded", Endpoint = RecordingTargetInvoker.EndpointFor("seeded"), Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(1) }, ct);
                await management.SetExecutionAsync(caller, Condition.AllRequests, [ExecutionEntry.ForTarget(target.Target.Id)], ct);
            }));

        await host.Dispatcher.RunRequestAsync(host.Context, Method, JsonNode.Parse("{}"));

        Assert.Equal("hello", host.Services.GetRequiredService<Greeting>().Text);
        host.Invoker.Requests.ShouldHaveCalledOnce("seeded");
    }

    [Fact]
    public async Task StartAsync_IncludeEntry_RunsTheIncludedExecution()
    {
        await using var host = await ActionExecTestHost.StartAsync(b => b
            .Target("a", TargetType.Webhook)
            .Target("b", TargetType.Webhook)
            .Execution(Condition.Function("shared"), "a")
            .Execution(Condition.RequestMethod(Method), ExecutionEntry.ForInclude(Condition.Function("shared")), ExecutionEntry.ForTarget("b")));

        await host.Dispatcher.RunRequestAsync(host.Context, Method, JsonNode.Parse("{}"));

        host.Invoker.Requests.ShouldHaveCalledExactly("a", "b");
    }

    [Fact]
    public async Task StartAsync_ExecutionNamesAnUndefinedTarget_FailsWithNotFound()
    {
        var e = await Assert.ThrowsAsync<ActionExecException>(() => ActionExecTestHost.StartAsync(b => b.Execution(Condition.RequestMethod(Method), "missing")));

        Assert.Equal(ActionExecErrorCode.NotFound, e.Code);
    }

    [Fact]
    public async Task StartAsync_MalformedCatalog_FailsAtStart()
    {
        await Assert.ThrowsAsync<OptionsValidationException>(() => ActionExecTestHost.StartAsync(b => b.Actions(a => a.AddCatalog(c => c.AddMethods("not a method")))));
    }

    [Fact]
    public async Task StartAsync_TenantAndStart_AreUsed()
    {
        var start = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

        await using var host = await ActionExecTestHost.StartAsync(b => b.Tenant("acme").StartingAt(start).Target("a", TargetType.Webhook));

        Assert.Equal("acme", host.Context.TenantId);
        Assert.Equal("acme", host.Caller.TenantId);
        Assert.Equal(start, host.Time.GetUtcNow());
        Assert.Equal(start, (await host.Management.GetTargetAsync(host.Caller, host.TargetId("a"))).CreationDate);
    }

    [Fact]
    public async Task TargetId_Undefined_ThrowsNamingIt()
    {
        await using var host = await ActionExecTestHost.StartAsync();

        var e = Assert.Throws<ArgumentException>(() => host.TargetId("nope"));

        Assert.Equal("name", e.ParamName);
        Assert.Contains("'nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_Twice_DoesNothingTheSecondTime()
    {
        var host = await ActionExecTestHost.StartAsync();

        await host.DisposeAsync();
        await host.DisposeAsync();
    }

    private sealed record Greeting(string Text);
}
