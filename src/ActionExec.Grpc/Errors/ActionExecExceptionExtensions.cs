using ActionExec.Errors;
using Grpc.Core;

namespace ActionExec.Grpc;

/// <summary>Ends a host's own gRPC call with the status of an ActionExec error.</summary>
public static class ActionExecExceptionExtensions
{
    /// <summary>
    /// The <see cref="RpcException"/> a gRPC handler throws for an ActionExec error it got itself, such as an interrupting target of
    /// the function flow it ran or an invalid argument it found: the error's code (a gRPC code already), its message, and a
    /// <c>google.rpc.Status</c> in the <c>grpc-status-details-bin</c> trailer with a <c>google.rpc.BadRequest</c> carrying every
    /// field violation and a <c>google.rpc.ErrorInfo</c> carrying the HTTP status a target forwarded, as the interceptor ends a
    /// call whose request or response flow failed.
    /// </summary>
    /// <param name="error">The error.</param>
    /// <returns>The exception to throw from the handler.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public static RpcException ToRpcException(this ActionExecException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Errors.GrpcErrors.ToRpcException(error);
    }
}
