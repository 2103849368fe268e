namespace ActionExec.Errors;

/// <summary>
/// The error codes of the library. The numeric values are the gRPC status codes, so they can be passed
/// through a gRPC or gRPC-gateway surface unchanged.
/// </summary>
public enum ActionExecErrorCode
{
    /// <summary>Not an error.</summary>
    Ok = 0,

    /// <summary>The operation was cancelled by the caller.</summary>
    Cancelled = 1,

    /// <summary>An error that fits no other code.</summary>
    Unknown = 2,

    /// <summary>Malformed input, a limit exceeded, a duplicate entry, or a condition that is not in the catalog (HTTP 400).</summary>
    InvalidArgument = 3,

    /// <summary>An interrupting target timed out (HTTP 504).</summary>
    DeadlineExceeded = 4,

    /// <summary>A target, include or execution does not exist (HTTP 404).</summary>
    NotFound = 5,

    /// <summary>A target with that name already exists in the tenant (HTTP 409).</summary>
    AlreadyExists = 6,

    /// <summary>The caller lacks the permission the operation requires (HTTP 403).</summary>
    PermissionDenied = 7,

    /// <summary>A quota or resource limit was reached (HTTP 429).</summary>
    ResourceExhausted = 8,

    /// <summary>The feature is disabled, the include graph would be cyclic or too deep, or an interrupting target failed (HTTP 400).</summary>
    FailedPrecondition = 9,

    /// <summary>The operation lost a race with a concurrent change, for example an optimistic-concurrency conflict in a store (HTTP 409).</summary>
    Aborted = 10,

    /// <summary>A value is outside its valid range (HTTP 400).</summary>
    OutOfRange = 11,

    /// <summary>The operation is not implemented (HTTP 501).</summary>
    Unimplemented = 12,

    /// <summary>A bug in the library or a component it calls (HTTP 500).</summary>
    Internal = 13,

    /// <summary>The service is not available right now, for example because the delivery queue is full (HTTP 503).</summary>
    Unavailable = 14,

    /// <summary>Unrecoverable data loss (HTTP 500).</summary>
    DataLoss = 15,

    /// <summary>No credentials or bad credentials (HTTP 401).</summary>
    Unauthenticated = 16,
}
