using System.Collections.Concurrent;
using ActionExec.Grpc.Tests.Protos;

namespace ActionExec.Grpc.Tests.Support;

/// <summary>The requests the test services' handlers saw, in order.</summary>
public sealed class EchoCalls
{
    private readonly ConcurrentQueue<SayRequest> _requests = new();

    public IReadOnlyList<SayRequest> Requests => [.. _requests];

    public void Record(SayRequest request) => _requests.Enqueue(request);
}
