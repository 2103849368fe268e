using ActionExec.Samples.WebApi.Demo.V1;
using Grpc.Core;

namespace ActionExec.Samples.WebApi.Demo;

/// <summary>
/// <c>demo.v1.GreeterService</c> over gRPC and gRPC-Web: the messages are turned into the JSON routes' records and the same
/// <see cref="DemoApi"/> code runs. The request and response flows run in the gRPC interceptor, around this handler.
/// </summary>
internal sealed class GreeterGrpcService(DemoApi demo) : GreeterService.GreeterServiceBase
{
    public override async Task<SayHelloResponse> SayHello(SayHelloRequest request, ServerCallContext context)
    {
        var reply = await demo.CallAsync(new GreetingRequest(request.Name), context, demo.HelloAsync);
        return new SayHelloResponse { Message = reply.Message };
    }

    public override async Task<SayGoodbyeResponse> SayGoodbye(SayGoodbyeRequest request, ServerCallContext context)
    {
        var reply = await demo.CallAsync(new GreetingRequest(request.Name), context, demo.GoodbyeAsync);
        return new SayGoodbyeResponse { Message = reply.Message };
    }
}
