using System.Collections.Immutable;
using ActionExec.Errors;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The error body of the gRPC-gateway: <c>{"code": 3, "message": "…", "details": [{"@type":
/// "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [{"field": "…", "description": "…"}]}]}</c>.
/// </summary>
internal sealed record ErrorJson
{
    /// <summary>The gRPC status code (<see cref="ActionExecErrorCode"/>).</summary>
    public int Code { get; init; }

    /// <summary>The error message.</summary>
    public string? Message { get; init; }

    /// <summary>The details; absent when there are no field violations.</summary>
    public IReadOnlyList<ErrorDetailJson>? Details { get; init; }

    /// <summary>The error body of an exception; its detail lists the first 100 violations, as the message does.</summary>
    internal static ErrorJson FromModel(ActionExecException exception) => new()
    {
        Code = (int)exception.Code,
        Message = exception.Message,
        Details = exception.Violations.IsEmpty
            ? null
            : [new ErrorDetailJson { Type = ErrorDetailJson.BadRequestType, FieldViolations = Listed(exception.Violations) }],
    };

    private static IReadOnlyList<FieldViolation> Listed(ImmutableArray<FieldViolation> violations) =>
        violations.Length <= ActionExecException.MaxListedViolations ? violations : [.. violations.Take(ActionExecException.MaxListedViolations)];
}
