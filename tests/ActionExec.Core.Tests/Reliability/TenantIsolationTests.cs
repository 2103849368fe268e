using System.Collections.Immutable;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Delivery;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace ActionExec.Tests.Reliability;

/// <summary>
/// One tenant never sees or uses another's targets, executions or includes (spec §9): not through the management service,
/// not through a flow, and not through background delivery.
/// </summary>
public sealed class TenantIsolationTests
{
    private const string Method = "/reliability.v1.Tenants/Run";
    private const string Other = "tenant-other";
    private static readonly Condition MethodCondition = Condition.RequestMethod(Method);
    private static readonly Condition ServiceCondition = Condition.RequestService("reliability.v1.Tenants");

    [Fact]
    public async Task Management_AnotherTenantsTargetAndExecutions_AreNeitherVisibleNorUsable()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var owned = await h.CreateTargetAsync("owned");
        await h.SetAsync(MethodCondition, owned);
        await h.Management.SetExecutionAsync(h.Admin, ServiceCondition, [ExecutionEntry.ForInclude(MethodCondition)]);
        var engine = h.Services.GetRequiredService<ActionEngine>();
        var ownerBefore = await engine.GetSnapshotAsync(HttpActionsHarness.Tenant);
        var other = ManagementCaller.ForHost(Other);
        var id = owned.Target.Id;
        var missingTarget = $"The target '{id}' does not exist in tenant '{Other}'; list the targets to find its id.";

        Assert.Empty(await h.Management.ListTargetsAsync(other));
        Assert.Empty(await h.Management.ListExecutionsAsync(other));
        await AssertFailsAsync(ActionExecErrorCode.NotFound, missingTarget, () => h.Management.GetTargetAsync(other, id).AsTask());
        await AssertFailsAsync(ActionExecErrorCode.NotFound, missingTarget, () => h.Management.UpdateTargetAsync(other, id, new TargetUpdate { Endpoint = "https://attacker.example.com/hook" }).AsTask());
        await AssertFailsAsync(ActionExecErrorCode.NotFound, missingTarget, () => h.Management.RotateSigningKeyAsync(other, id).AsTask());
        await AssertFailsAsync(ActionExecErrorCode.NotFound, missingTarget, () => h.Management.DeleteTargetAsync(other, id).AsTask());
        await AssertFailsAsync(
            ActionExecErrorCode.NotFound,
            $"The execution '{MethodCondition.Id}' does not exist in tenant '{Other}'; set it first.",
            () => h.Management.GetExecutionAsync(other, MethodCondition).AsTask());
        await AssertFailsAsync(
            ActionExecErrorCode.NotFound,
            $"Not found in tenant '{Other}': target '{id}'; create them first or remove them from the list.",
            () => h.Management.SetExecutionAsync(other, MethodCondition, [ExecutionEntry.ForTarget(id)]).AsTask());
        await AssertFailsAsync(
            ActionExecErrorCode.NotFound,
            $"Not found in tenant '{Other}': include '{MethodCondition.Id}'; create them first or remove them from the list.",
            () => h.Management.SetExecutionAsync(other, ServiceCondition, [ExecutionEntry.ForInclude(MethodCondition)]).AsTask());
        var explained = await h.Management.ExplainAsync(other, ConditionKind.Request, Method);
        Assert.Null(explained.Matched);
        Assert.Empty(explained.Targets);

        // Names are unique per tenant, so the other tenant may use the same one; it gets its own target and key.
        var namesake = await h.Management.CreateTargetAsync(other, new TargetSpec { Name = "owned", Endpoint = "https://other.example.com/hook", Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(5) });
        Assert.NotEqual(id, namesake.Target.Id);
        Assert.NotEqual(owned.SigningKey, namesake.SigningKey);

        var ownerAfter = await engine.GetSnapshotAsync(HttpActionsHarness.Tenant);
        Assert.Same(ownerBefore, ownerAfter);
        Assert.Equal(owned.Target, await h.Management.GetTargetAsync(h.Admin, id));
    }

    [Fact]
    public async Task Dispatcher_AnotherTenantsExecutions_NeverRunForThisTenant()
    {
        var queue = Substitute.For<IDeliveryQueue>();
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.AddSingleton(queue));
        var owned = await h.CreateTargetAsync("owned");
        var audit = await h.CreateTargetAsync("audit", TargetType.Async);
        await h.SetAsync(MethodCondition, owned, audit);
        await h.SetAsync(Condition.Event("user.human.added"), owned);
        await h.SetAsync(Condition.Function("preaccesstoken"), owned);
        h.Receiver.Answer("/owned", ReceiverAnswer.Ok);
        var other = new FlowContext(Other);
        var request = JsonNode.Parse("""{"n":1}""");

        Assert.Same(request, await h.Dispatcher.RunRequestAsync(other, Method, request));
        Assert.Empty(await h.Dispatcher.RunFunctionAsync(other, "preaccesstoken"));
        await h.Dispatcher.PublishEventAsync(other, new ActionEvent { EventType = "user.human.added", AggregateId = "u1", AggregateType = "user" });

        Assert.Empty(h.Receiver.Requests);
        await queue.DidNotReceiveWithAnyArgs().EnqueueAsync(default!, default, default);

        // The same calls for the owner do run, so the silence above is the isolation and not a broken set-up.
        await h.Dispatcher.RunRequestAsync(h.Context, Method, request);
        Assert.Single(h.Receiver.Requests);
        await queue.ReceivedWithAnyArgs(1).EnqueueAsync(default!, default, default);
    }

    [Fact]
    public async Task DeliveryWorker_DeliveryOfAnotherTenantNamingThisTenantsTarget_SkipsTheTargetWithoutCallingIt()
    {
        await using var harness = new DeliveryHarness();
        var owned = await harness.CreateTargetAsync("owned");
        await harness.StartAsync();

        await harness.Queue.EnqueueAsync(
            new BackgroundDelivery
            {
                Id = "forged-1",
                TenantId = Other,
                Source = "event/user.human.added",
                TargetIds = ImmutableArray.Create(owned),
                Payload = "{}"u8.ToArray(),
                CreatedAt = harness.Time.GetUtcNow(),
            },
            harness.Time.GetUtcNow(),
            CancellationToken.None);
        await harness.WaitForFinishedAsync(1);

        Assert.Empty(harness.Invoker.Calls);
        Assert.Equal(1, harness.Statistics.SkippedTargets);
        Assert.Single(harness.Logs.WithEventId(4004));
    }

    private static async Task AssertFailsAsync(ActionExecErrorCode code, string message, Func<Task> act)
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(act);
        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.Message);
    }
}
