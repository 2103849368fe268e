using ActionExec.Conditions;
using ActionExec.Grpc.Tests.Protos;
using ActionExec.Grpc.Tests.Support;
using ActionExec.Targets;
using ActionExec.Tests.Support;

namespace ActionExec.Grpc.Tests.Interception;

public sealed class GrpcExecutionInterceptorTests
{
    private const string Say = "/actionexec.test.v1.EchoService/Say";

    [Fact]
    public async Task Request_CallTargetRewrites_HandlerSeesTheRewrittenRequest()
    {
        await using var host = await GrpcHost.StartAsync();
        host.Receiver.Answer("/rewrite", ReceiverAnswer.Json("""{"name":"Rewritten","times":3}"""));
        var id = await host.CreateTargetAsync("rewrite", TargetType.Call);
        await host.SetExecutionAsync(Condition.RequestMethod(Say), id);

        var response = await host.Echo.SayAsync(new SayRequest { Name = "Ann", UserId = "u1" });

        Assert.Equal("Hello Rewritten", response.Message);
        var seen = Assert.Single(host.Calls.Requests);
        Assert.Equal(new SayRequest { Name = "Rewritten", Times = 3 }, seen);
        var payload = Assert.Single(host.Receiver.RequestsTo("/rewrite")).Json;
        Assert.Equal(Say, (string?)payload["fullMethod"]);
        Assert.Equal(GrpcHost.Tenant, (string?)payload["instanceID"]);
        Assert.Equal("""{"name":"Ann","userId":"u1"}""", payload["request"]!.ToJsonString());
    }
}
