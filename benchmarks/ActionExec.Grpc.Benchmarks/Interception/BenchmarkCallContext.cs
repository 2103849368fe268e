using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ActionExec.Grpc.Benchmarks.Interception;

/// <summary>
/// The least a <see cref="ServerCallContext"/> must be for the interceptor: the method, the cancellation token, and the
/// <see cref="HttpContext"/> under the key <c>GetHttpContext()</c> reads outside a real call.
/// </summary>
internal sealed class BenchmarkCallContext(string method, HttpContext httpContext) : ServerCallContext
{
    private readonly Dictionary<object, object> _userState = new() { ["__HttpContext"] = httpContext };

    protected override string MethodCore => method;

    protected override string HostCore => "127.0.0.1";

    protected override string PeerCore => "ipv4:127.0.0.1:5000";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore { get; } = [];

    protected override CancellationToken CancellationTokenCore => CancellationToken.None;

    protected override Metadata ResponseTrailersCore { get; } = [];

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore { get; } = new(null, []);

    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
