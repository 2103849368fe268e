using System.Net;
using ActionExec.Samples.Tests.Support;
using ActionExec.Samples.WebApi.Demo.V1;
using ActionExec.Tests.Support;
using Google.Rpc;
using Grpc.Core;

namespace ActionExec.Samples.Tests.WebApi.Demo;

/// <summary><c>demo.v1.GreeterService</c> over real gRPC (HTTP/2) and gRPC-Web (HTTP/1.1) calls, next to its JSON routes.</summary>
public sealed class GreeterGrpcServiceTests
{
    private const string SayHello = "/demo.v1.GreeterService/SayHello";

    [Fact]
    public async Task SayHello_OneExecution_RunsOnTheJsonGrpcAndGrpcWebCalls()
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/hook", ReceiverAnswer.Json("{}"));
        var hook = await host.CreateTargetAsync("hook");
        await host.SetExecutionAsync($$$"""{"request":{"method":"{{{SayHello}}}"}}""", hook);

        using var json = await host.CallAsync(SayHello, """{"name": "Ada"}""");
        var grpc = await host.Greeter.SayHelloAsync(new SayHelloRequest { Name = "Ada" });
        var web = await host.WebGreeter.SayHelloAsync(new SayHelloRequest { Name = "Ada" });

        Assert.Equal("""{"message":"Hello, Ada"}""", await json.Content.ReadAsStringAsync());
        Assert.Equal("Hello, Ada", grpc.Message);
        Assert.Equal("Hello, Ada", web.Message);
        var calls = host.Receiver.RequestsTo("/hook");
        Assert.Equal(3, calls.Count);
        Assert.All(calls, call =>
        {
            Assert.Equal(SayHello, (string?)call.Json["fullMethod"]);
            Assert.Equal(SampleHost.Tenant, (string?)call.Json["instanceID"]);
            Assert.Equal("""{"name":"Ada"}""", call.Json["request"]!.ToJsonString());
        });
    }

    [Fact]
    public async Task SayHello_RequestCallTarget_RewritesTheGreetingOnTheJsonGrpcAndGrpcWebCalls()
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/shout", request => ReceiverAnswer.Json(
            $$"""{"name":"{{((string)request.Json["request"]!["name"]!).ToUpperInvariant()}}"}"""));
        var shout = await host.CreateTargetAsync("shout", type: "restCall");
        await host.SetExecutionAsync($$$"""{"request":{"method":"{{{SayHello}}}"}}""", shout);

        using var json = await host.CallAsync(SayHello, """{"name": "Ada"}""");
        var grpc = await host.Greeter.SayHelloAsync(new SayHelloRequest { Name = "Grace" });
        var web = await host.WebGreeter.SayHelloAsync(new SayHelloRequest { Name = "Alan" });

        Assert.Equal("""{"message":"Hello, ADA"}""", await json.Content.ReadAsStringAsync());
        Assert.Equal("Hello, GRACE", grpc.Message);
        Assert.Equal("Hello, ALAN", web.Message);
        Assert.Equal(3, host.Receiver.RequestsTo("/shout").Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SayGoodbye_ResponseCallTargetOnTheService_ClientGetsTheRewrittenResponse(bool grpcWeb)
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/reword", ReceiverAnswer.Json("""{"message":"Reworded by a target"}"""));
        var reword = await host.CreateTargetAsync("reword", type: "restCall");
        await host.SetExecutionAsync("""{"response":{"service":"demo.v1.GreeterService"}}""", reword);

        var reply = await Greeter(host, grpcWeb).SayGoodbyeAsync(new SayGoodbyeRequest { Name = "Ada" });

        Assert.Equal("Reworded by a target", reply.Message);
        var payload = Assert.Single(host.Receiver.RequestsTo("/reword")).Json;
        Assert.Equal("/demo.v1.GreeterService/SayGoodbye", (string?)payload["fullMethod"]);
        Assert.Equal("""{"name":"Ada"}""", payload["request"]!.ToJsonString());
        Assert.Equal("""{"message":"Goodbye, Ada"}""", payload["response"]!.ToJsonString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SayHello_NoExecution_AnswersTheGreeting(bool grpcWeb)
    {
        await using var host = await SampleHost.StartAsync();

        var hello = await Greeter(host, grpcWeb).SayHelloAsync(new SayHelloRequest { Name = "Ada" });
        var goodbye = await Greeter(host, grpcWeb).SayGoodbyeAsync(new SayGoodbyeRequest { Name = "Ada" });

        Assert.Equal("Hello, Ada", hello.Message);
        Assert.Equal("Goodbye, Ada", goodbye.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SayHello_EmptyName_EndsInvalidArgumentNamingTheField(bool grpcWeb)
    {
        await using var host = await SampleHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Greeter(host, grpcWeb).SayHelloAsync(new SayHelloRequest()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);
        Assert.Equal("name", violation.Field);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SayHello_InterruptingWebhookForwards403_EndsPermissionDeniedAndTheHandlerDoesNotGreet(bool grpcWeb)
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/gate", ReceiverAnswer.Json("""{"forwardedStatusCode":403,"forwardedErrorMessage":"Ada may not be greeted today."}"""));
        var gate = await host.CreateTargetAsync("gate");
        await host.SetExecutionAsync($$$"""{"request":{"method":"{{{SayHello}}}"}}""", gate);
        var events = await host.CreateTargetAsync("events", interrupt: false);
        await host.SetExecutionAsync("""{"event":{"group":"demo.greeting.*"}}""", events);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Greeter(host, grpcWeb).SayHelloAsync(new SayHelloRequest { Name = "Ada" }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("Ada may not be greeted today.", error.Status.Detail);
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("403", info.Metadata["httpStatusCode"]);

        // The JSON route of the same method is stopped by the same execution.
        using var json = await host.CallAsync(SayHello, """{"name": "Ada"}""");
        Assert.Equal(HttpStatusCode.Forbidden, json.StatusCode);
        Assert.Empty(host.Receiver.RequestsTo("/events"));
    }

    private static GreeterService.GreeterServiceClient Greeter(SampleHost host, bool grpcWeb) => grpcWeb ? host.WebGreeter : host.Greeter;
}
