using ActionExec.Grpc.Tests.Protos;
using Grpc.Core;

namespace ActionExec.Grpc.Tests.Support;

/// <summary>A second service, to tell a service condition from a method condition.</summary>
public sealed class OtherServer(EchoCalls calls) : Protos.OtherService.OtherServiceBase
{
    public override Task<SayResponse> Ping(SayRequest request, ServerCallContext context)
    {
        calls.Record(request);
        return Task.FromResult(new SayResponse { Message = "Pong " + request.Name });
    }
}
