using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Grpc.Tests.Support;
using ActionExec.Management;

namespace ActionExec.Grpc.Tests.Catalog;

public sealed class GrpcEndpointMethodsTests
{
    [Theory]
    [InlineData("/actionexec.test.v1.EchoService/Say")]
    [InlineData("/actionexec.test.v1.EchoService/Shout")]
    [InlineData("/actionexec.test.v1.EchoService/SayMany")]
    [InlineData("/actionexec.test.v1.OtherService/Ping")]
    public async Task SetExecution_MethodTheHostServes_IsAccepted(string method)
    {
        await using var host = await GrpcHost.StartAsync();
        var id = await host.CreateTargetAsync("hook");

        await host.SetExecutionAsync(Condition.RequestMethod(method), id);
        await host.SetExecutionAsync(Condition.ResponseMethod(method), id);
    }

    [Theory]
    [InlineData("actionexec.test.v1.EchoService")]
    [InlineData("actionexec.test.v1.OtherService")]
    public async Task SetExecution_ServiceTheHostServes_IsAccepted(string service)
    {
        await using var host = await GrpcHost.StartAsync();

        await host.SetExecutionAsync(Condition.RequestService(service), await host.CreateTargetAsync("hook"));
    }

    [Theory]
    [InlineData(ConditionScope.Method, "/actionexec.test.v1.EchoService/Whisper")]
    [InlineData(ConditionScope.Method, "/actionexec.test.v1.Missing/Say")]
    [InlineData(ConditionScope.Service, "actionexec.test.v1.Missing")]
    [InlineData(ConditionScope.Method, "/grpc.health.v1.Health/Check")]
    public async Task SetExecution_NotServed_InvalidArgumentAndNothingChanges(ConditionScope scope, string value)
    {
        await using var host = await GrpcHost.StartAsync();
        var id = await host.CreateTargetAsync("hook");
        var condition = Condition.Create(ConditionKind.Request, scope, value);

        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await host.SetExecutionAsync(condition, id));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Empty(await host.Management.ListExecutionsAsync(ManagementCaller.ForHost(GrpcHost.Tenant)));
    }

    [Fact]
    public async Task SetExecution_AllRequests_IsAccepted()
    {
        await using var host = await GrpcHost.StartAsync();

        await host.SetExecutionAsync(Condition.AllRequests, await host.CreateTargetAsync("hook"));
    }

    [Theory]
    [InlineData(ConditionScope.Method, "/zitadel.action.v2beta.ActionService/SetExecution")]
    [InlineData(ConditionScope.Method, "/zitadel.resources.action.v3alpha.ZITADELActions/SetExecution")]
    [InlineData(ConditionScope.Service, "zitadel.action.v2beta.ActionService")]
    public async Task SetExecution_ManagementServiceMapped_IsNotAMethodExecutionsRunOn(ConditionScope scope, string value)
    {
        await using var host = await GrpcHost.StartAsync(management: true);
        var id = await host.CreateTargetAsync("hook");

        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await host.SetExecutionAsync(Condition.Create(ConditionKind.Request, scope, value), id));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
    }
}
