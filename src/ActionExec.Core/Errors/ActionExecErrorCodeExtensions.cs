namespace ActionExec.Errors;

/// <summary>Maps <see cref="ActionExecErrorCode"/> values to HTTP status codes, as gRPC-gateway does.</summary>
internal static class ActionExecErrorCodeExtensions
{
    /// <summary>Returns the HTTP status code that represents <paramref name="code"/>.</summary>
    /// <param name="code">The error code.</param>
    /// <returns>The HTTP status code, for example 400 for <see cref="ActionExecErrorCode.InvalidArgument"/>.</returns>
    public static int ToHttpStatusCode(this ActionExecErrorCode code) => code switch
    {
        ActionExecErrorCode.Ok => 200,
        ActionExecErrorCode.Cancelled => 499,
        ActionExecErrorCode.InvalidArgument => 400,
        ActionExecErrorCode.DeadlineExceeded => 504,
        ActionExecErrorCode.NotFound => 404,
        ActionExecErrorCode.AlreadyExists => 409,
        ActionExecErrorCode.PermissionDenied => 403,
        ActionExecErrorCode.ResourceExhausted => 429,
        ActionExecErrorCode.FailedPrecondition => 400,
        ActionExecErrorCode.Aborted => 409,
        ActionExecErrorCode.OutOfRange => 400,
        ActionExecErrorCode.Unimplemented => 501,
        ActionExecErrorCode.Unavailable => 503,
        ActionExecErrorCode.Unauthenticated => 401,
        _ => 500,
    };

    /// <summary>
    /// Returns the error code that a gRPC-gateway maps to <paramref name="httpStatusCode"/>; used where a
    /// target forwards an HTTP status that the host must see as an error.
    /// </summary>
    /// <param name="httpStatusCode">An HTTP status code.</param>
    /// <returns>The matching error code; <see cref="ActionExecErrorCode.Unknown"/> for unmapped statuses.</returns>
    public static ActionExecErrorCode FromHttpStatusCode(int httpStatusCode) => httpStatusCode switch
    {
        >= 200 and < 300 => ActionExecErrorCode.Ok,
        400 => ActionExecErrorCode.InvalidArgument,
        401 => ActionExecErrorCode.Unauthenticated,
        403 => ActionExecErrorCode.PermissionDenied,
        404 => ActionExecErrorCode.NotFound,
        409 => ActionExecErrorCode.Aborted,
        412 => ActionExecErrorCode.FailedPrecondition,
        429 => ActionExecErrorCode.ResourceExhausted,
        499 => ActionExecErrorCode.Cancelled,
        501 => ActionExecErrorCode.Unimplemented,
        503 => ActionExecErrorCode.Unavailable,
        504 => ActionExecErrorCode.DeadlineExceeded,
        >= 500 and < 600 => ActionExecErrorCode.Internal,
        _ => ActionExecErrorCode.Unknown,
    };
}
