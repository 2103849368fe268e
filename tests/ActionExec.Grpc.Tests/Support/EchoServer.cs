using ActionExec.Grpc.Tests.Protos;
using Grpc.Core;

namespace ActionExec.Grpc.Tests.Support;

/// <summary>The test service: answers "Hello &lt;name&gt;" and records every request its handlers saw.</summary>
public sealed class EchoServer(EchoCalls calls) : Protos.EchoService.EchoServiceBase
{
    public override Task<SayResponse> Say(SayRequest request, ServerCallContext context)
    {
        calls.Record(request);
        return Task.FromResult(new SayResponse { Message = "Hello " + request.Name });
    }

    public override Task<SayResponse> Shout(SayRequest request, ServerCallContext context)
    {
        calls.Record(request);
        return Task.FromResult(new SayResponse { Message = "HELLO " + request.Name.ToUpperInvariant() });
    }

    public override async Task SayMany(SayRequest request, IServerStreamWriter<SayResponse> responseStream, ServerCallContext context)
    {
        calls.Record(request);
        for (var i = 0; i < Math.Max(1, request.Times); i++)
        {
            await responseStream.WriteAsync(new SayResponse { Message = "Hello " + request.Name });
        }
    }
}
