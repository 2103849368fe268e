using ActionExec.Grpc;
using Grpc.AspNetCore.Server;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds ActionExec's interceptor to the host's gRPC services.</summary>
public static class ActionExecutionsGrpcServiceOptionsExtensions
{
    /// <summary>
    /// Adds the interceptor that runs the request flow before the handler of every unary call and the response flow after it,
    /// with the call's full method (<c>/pkg.v1.Service/Method</c>) as the condition value: <c>services.AddGrpc(o =&gt;
    /// o.AddActionExecutions())</c>. Messages go to targets as proto-JSON; a call target's answer is read back into the message
    /// type. An interrupting target failure ends the call with its gRPC status (a forwarded 4xx mapped to its code,
    /// <c>DeadlineExceeded</c> for a timeout, <c>FailedPrecondition</c> otherwise) and <c>google.rpc.Status</c> details; when the
    /// request flow fails, the handler does not run. The flow context comes from the <c>IFlowContextFactory</c>, given the call's
    /// <c>HttpContext</c>. Streaming calls pass through untouched. Safe to call more than once: the interceptor is added once.
    /// </summary>
    /// <remarks>
    /// Needs <c>services.AddActionExecutions().AddActionExecutionsApi()</c>; <c>AddGrpcServices()</c> on that builder also registers
    /// the interceptor as one instance for the host's lifetime (otherwise gRPC creates one per call) and fills the catalog with the
    /// mapped gRPC methods.
    /// </remarks>
    /// <param name="options">The gRPC service options (all services, or one service's).</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static GrpcServiceOptions AddActionExecutions(this GrpcServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var registration in options.Interceptors)
        {
            if (registration.Type == typeof(GrpcExecutionInterceptor))
            {
                return options;
            }
        }

        options.Interceptors.Add<GrpcExecutionInterceptor>();
        return options;
    }
}
