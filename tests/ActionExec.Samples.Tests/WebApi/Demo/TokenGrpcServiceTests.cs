using ActionExec.Samples.Tests.Support;
using ActionExec.Samples.WebApi.Demo.V1;
using ActionExec.Tests.Support;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace ActionExec.Samples.Tests.WebApi.Demo;

/// <summary><c>demo.v1.TokenService</c> over real gRPC (HTTP/2) and gRPC-Web (HTTP/1.1) calls: the JSON route's code and answer.</summary>
public sealed class TokenGrpcServiceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IssueToken_NoExecution_AnswersTheUserAndNoClaims(bool grpcWeb)
    {
        await using var host = await SampleHost.StartAsync();

        var reply = await Token(host, grpcWeb).IssueTokenAsync(new IssueTokenRequest { UserId = "u1" });

        // Field for field the JSON route's answer, {"userId":"u1","claims":{}}.
        Assert.Equal("""{ "userId": "u1", "claims": { } }""", JsonFormatter.Default.Format(reply));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IssueToken_TwoPreAccessTokenCallTargets_AnswersTheMergedClaims(bool grpcWeb)
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/roles", ReceiverAnswer.Json("""{"role":"admin","tier":"gold"}"""));
        host.Receiver.Answer("/billing", ReceiverAnswer.Json("""{"tier":"platinum","org":"acme"}"""));
        var roles = await host.CreateTargetAsync("roles", type: "restCall");
        var billing = await host.CreateTargetAsync("billing", type: "restCall");
        await host.SetExecutionAsync("""{"function":{"name":"preaccesstoken"}}""", roles, billing);

        var reply = await Token(host, grpcWeb).IssueTokenAsync(new IssueTokenRequest { UserId = "u1" });

        Assert.Equal("u1", reply.UserId);
        Assert.Equal("admin", reply.Claims.Fields["role"].StringValue);
        Assert.Equal("platinum", reply.Claims.Fields["tier"].StringValue);
        Assert.Equal("acme", reply.Claims.Fields["org"].StringValue);
        Assert.Equal(3, reply.Claims.Fields.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IssueToken_RequestCallTarget_RunsTheFunctionFlowForTheRewrittenUser(bool grpcWeb)
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/impersonate", ReceiverAnswer.Json("""{"userId":"u2"}"""));
        host.Receiver.Answer("/roles", ReceiverAnswer.Json("""{"role":"admin"}"""));
        var impersonate = await host.CreateTargetAsync("impersonate", type: "restCall");
        var roles = await host.CreateTargetAsync("roles", type: "restCall");
        await host.SetExecutionAsync("""{"request":{"method":"/demo.v1.TokenService/IssueToken"}}""", impersonate);
        await host.SetExecutionAsync("""{"function":{"name":"preaccesstoken"}}""", roles);

        var reply = await Token(host, grpcWeb).IssueTokenAsync(new IssueTokenRequest { UserId = "u1" });

        Assert.Equal("u2", reply.UserId);
        Assert.Equal("""{"userId":"u1"}""", Assert.Single(host.Receiver.RequestsTo("/impersonate")).Json["request"]!.ToJsonString());
        Assert.Equal("u2", (string?)Assert.Single(host.Receiver.RequestsTo("/roles")).Json["userId"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IssueToken_InterruptingFunctionTargetForwards403_EndsPermissionDeniedWithTheForwardedStatus(bool grpcWeb)
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/policy", ReceiverAnswer.Json("""{"forwardedStatusCode":403,"forwardedErrorMessage":"u1 is locked."}"""));
        var policy = await host.CreateTargetAsync("policy", type: "restCall");
        await host.SetExecutionAsync("""{"function":{"name":"preaccesstoken"}}""", policy);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Token(host, grpcWeb).IssueTokenAsync(new IssueTokenRequest { UserId = "u1" }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("u1 is locked.", error.Status.Detail);
        Assert.Equal("403", error.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata["httpStatusCode"]);
    }

    [Fact]
    public async Task IssueToken_EmptyUserId_EndsInvalidArgumentNamingTheField()
    {
        await using var host = await SampleHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Token.IssueTokenAsync(new IssueTokenRequest()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("user_id", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }

    private static TokenService.TokenServiceClient Token(SampleHost host, bool grpcWeb) => grpcWeb ? host.WebToken : host.Token;
}
