using ActionExec.Errors;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace ActionExec.Grpc;

/// <summary>
/// Turns an <see cref="ActionExecException"/> into the <see cref="RpcException"/> a gRPC call ends with: the error's code (a gRPC
/// code already), its message, and a <c>google.rpc.Status</c> in the <c>grpc-status-details-bin</c> trailer carrying a
/// <c>google.rpc.BadRequest</c> with every field violation, and a <c>google.rpc.ErrorInfo</c> with the HTTP status a target
/// forwarded.
/// </summary>
internal static class RpcErrors
{
    /// <summary>The domain of the <c>google.rpc.ErrorInfo</c> details.</summary>
    public const string Domain = "actionexec";

    /// <summary>The reason of the <c>google.rpc.ErrorInfo</c> that carries a forwarded HTTP status.</summary>
    public const string ForwardedReason = "TARGET_FORWARDED_STATUS";

    /// <summary>The metadata key of the forwarded HTTP status in that <c>google.rpc.ErrorInfo</c>.</summary>
    public const string ForwardedStatusKey = "httpStatusCode";

    public static RpcException ToRpcException(ActionExecException error)
    {
        var status = new Google.Rpc.Status { Code = (int)error.Code, Message = error.Message };
        if (!error.Violations.IsEmpty)
        {
            var badRequest = new BadRequest();
            foreach (var violation in error.Violations)
            {
                badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Description });
            }

            status.Details.Add(Any.Pack(badRequest));
        }

        if (error.ForwardedHttpStatusCode is { } forwarded)
        {
            var info = new ErrorInfo { Domain = Domain, Reason = ForwardedReason };
            info.Metadata.Add(ForwardedStatusKey, forwarded.ToString(System.Globalization.CultureInfo.InvariantCulture));
            status.Details.Add(Any.Pack(info));
        }

        return status.ToRpcException();
    }
}
