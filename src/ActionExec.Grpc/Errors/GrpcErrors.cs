using System.Text;
using ActionExec.Errors;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace ActionExec.Grpc.Errors;

/// <summary>
/// An <see cref="ActionExecException"/> as a gRPC error: its code (<see cref="ActionExecErrorCode"/> values are gRPC codes), its
/// message, and a <c>google.rpc.Status</c> in the <c>grpc-status-details-bin</c> trailer whose <c>google.rpc.BadRequest</c> detail
/// lists the violations — the first <see cref="ActionExecException.MaxListedViolations"/> of more, as the JSON error body does.
/// Field paths are the ones the JSON API reports, in proto field naming (<c>targetType</c> becomes <c>target_type</c>).
/// </summary>
internal static class GrpcErrors
{
    /// <summary>The <c>google.rpc.Status</c> of an error.</summary>
    /// <param name="exception">The error.</param>
    /// <returns>The status, with a <c>google.rpc.BadRequest</c> detail when the error has violations.</returns>
    public static Google.Rpc.Status ToStatus(ActionExecException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = new Google.Rpc.Status { Code = (int)exception.Code, Message = exception.Message };
        if (!exception.Violations.IsEmpty)
        {
            var badRequest = new BadRequest();
            foreach (var violation in exception.Violations.Take(ActionExecException.MaxListedViolations))
            {
                badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation
                {
                    Field = ProtoFieldPath(violation.Field),
                    Description = violation.Description,
                });
            }

            status.Details.Add(Any.Pack(badRequest));
        }

        return status;
    }

    /// <summary>The error as the exception a gRPC service throws to answer with it.</summary>
    /// <param name="exception">The error.</param>
    /// <returns>The exception, carrying the status code, the message and the <c>google.rpc.Status</c> trailer.</returns>
    public static RpcException ToRpcException(ActionExecException exception) => ToStatus(exception).ToRpcException();

    /// <summary>
    /// A JSON field path in proto field naming: every lowerCamelCase name becomes snake_case, indexes and dots stay
    /// (<c>targets[1].include.request.method</c> is unchanged, <c>payloadType</c> becomes <c>payload_type</c>).
    /// </summary>
    /// <param name="jsonPath">A path as the JSON API reports it.</param>
    /// <returns>The same path in proto field naming.</returns>
    public static string ProtoFieldPath(string jsonPath)
    {
        ArgumentNullException.ThrowIfNull(jsonPath);
        if (!jsonPath.Any(char.IsAsciiLetterUpper))
        {
            return jsonPath;
        }

        var path = new StringBuilder(jsonPath.Length + 4);
        for (var i = 0; i < jsonPath.Length; i++)
        {
            var c = jsonPath[i];
            if (char.IsAsciiLetterUpper(c))
            {
                // A capital that starts a segment (after '.', '[' or at the start) has no word before it to separate.
                if (i > 0 && char.IsAsciiLetterOrDigit(jsonPath[i - 1]))
                {
                    path.Append('_');
                }

                path.Append(char.ToLowerInvariant(c));
            }
            else
            {
                path.Append(c);
            }
        }

        return path.ToString();
    }
}
