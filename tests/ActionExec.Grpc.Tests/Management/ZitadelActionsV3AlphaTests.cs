using ActionExec.Grpc.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Zitadel.Object.V3Alpha;
using Zitadel.Resources.Action.V3Alpha;

namespace ActionExec.Grpc.Tests.Management;

public sealed class ZitadelActionsV3AlphaTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SetExecution_ConditionString_SetsThatConditionAndAnswersTheDetails(bool web)
    {
        await using var host = await ManagementHost.StartAsync();
        var target = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, ActionServiceV2BetaTests.Spec("hook"));
        using var channel = host.Channel(web);

        var response = await new ZITADELActions.ZITADELActionsClient(channel).SetExecutionAsync(new SetExecutionRequest
        {
            Instance = new Instance { Id = ManagementHost.Tenant },
            ConditionString = "request/pkg.v1.Service/Method",
            Execution = new Execution { Targets = { new ExecutionTargetType { Target = target.Target.Id } } },
        });

        Assert.Equal(
            new Zitadel.Settings.Object.V3Alpha.Details
            {
                Sequence = 2,
                ChangeDate = Timestamp.FromDateTimeOffset(ManagementHost.Start),
                Owner = new Owner { Type = OwnerType.Instance, Id = ManagementHost.Tenant },
            },
            response.Details);
        var execution = await host.Management.GetExecutionAsync(ManagementHost.HostCaller, Conditions.Condition.RequestMethod("/pkg.v1.Service/Method"));
        Assert.Equal(target.Target.Id, Assert.Single(execution.Entries).TargetId);
    }

    [Fact]
    public async Task SetExecution_MalformedConditionString_FailsOnConditionString()
    {
        await using var host = await ManagementHost.StartAsync();
        using var channel = host.Channel(web: false);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ZITADELActions.ZITADELActionsClient(channel).SetExecutionAsync(
            new SetExecutionRequest { ConditionString = "requests/x" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["condition_string"], error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(static v => v.Field));
    }

    [Theory]
    [InlineData("other-tenant", null)]
    [InlineData(null, "example.com")]
    public async Task SetExecution_InstanceOtherThanTheTenant_FailsOnInstanceAndChangesNothing(string? id, string? domain)
    {
        await using var host = await ManagementHost.StartAsync();
        using var channel = host.Channel(web: false);
        var instance = id is not null ? new Instance { Id = id } : new Instance { Domain = domain };

        var error = await Assert.ThrowsAsync<RpcException>(() => new ZITADELActions.ZITADELActionsClient(channel).SetExecutionAsync(
            new SetExecutionRequest { Instance = instance, ConditionString = "request", Execution = new Execution() }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["instance"], error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(static v => v.Field));
        Assert.Empty(await host.Management.ListExecutionsAsync(ManagementHost.HostCaller));
    }

    [Fact]
    public async Task CreateTarget_NotServedInV3Alpha_AnswersUnimplemented()
    {
        await using var host = await ManagementHost.StartAsync();
        using var channel = host.Channel(web: false);
        var marshaller = Marshallers.Create(static (Empty m) => m.ToByteArray(), Empty.Parser.ParseFrom);
        var method = new Method<Empty, Empty>(MethodType.Unary, "zitadel.resources.action.v3alpha.ZITADELActions", "CreateTarget", marshaller, marshaller);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, new Empty()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task SetExecution_ReaderWithBadInstance_IsDeniedBeforeTheInputIsRead()
    {
        await using var host = await ManagementHost.StartAsync();
        using var channel = host.Channel(web: false, key: AspNetCore.Tests.Support.TestAuthenticationHandler.Reader);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ZITADELActions.ZITADELActionsClient(channel).SetExecutionAsync(
            new SetExecutionRequest { Instance = new Instance { Id = "other" }, ConditionString = "bad" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}
