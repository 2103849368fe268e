using System.Collections.Immutable;

namespace ActionExec.Dispatch;

/// <summary>
/// What an <see cref="ITargetInvoker"/> returns: the target's answer (status, body, headers, <c>Retry-After</c>), whatever its
/// status, or a typed failure when there was no answer to return (<see cref="Failed"/>).
/// </summary>
public sealed class TargetResponse
{
    private static readonly TargetResponse EmptyOk = new(200);

    /// <summary>Creates an answer.</summary>
    /// <param name="statusCode">The HTTP status code (an in-process invoker uses 200 for success).</param>
    /// <param name="body">The body bytes.</param>
    /// <param name="headers">The response headers, without hop-by-hop ones.</param>
    public TargetResponse(int statusCode, ReadOnlyMemory<byte> body = default, ImmutableArray<KeyValuePair<string, string>> headers = default)
    {
        StatusCode = statusCode;
        Body = body;
        Headers = headers.IsDefault ? [] : headers;
    }

    private TargetResponse(TargetFailureKind failure, string reason)
    {
        Failure = failure;
        FailureReason = reason;
        Headers = [];
    }

    /// <summary>The HTTP status code; 0 for a failure.</summary>
    public int StatusCode { get; }

    /// <summary>The body bytes; empty for a failure.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The response headers, without hop-by-hop ones; a header with several values appears several times.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Headers { get; }

    /// <summary>How long the target asked the caller to wait before retrying (<c>Retry-After</c>), if it did.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Whether the target answered with a 2xx status.</summary>
    public bool IsSuccess => Failure == TargetFailureKind.None && StatusCode is >= 200 and < 300;

    /// <summary>Why there is no answer; <see cref="TargetFailureKind.None"/> when the target answered (whatever its status).</summary>
    public TargetFailureKind Failure { get; }

    /// <summary>A sentence saying why there is no answer (never a body or a key); <see langword="null"/> for an answer.</summary>
    public string? FailureReason { get; }

    /// <summary>A 200 answer with a JSON body, for in-process invokers.</summary>
    /// <param name="jsonBody">The UTF-8 JSON body.</param>
    /// <returns>The answer; without a body, one shared instance (an answer cannot be changed, so it can be shared).</returns>
    public static TargetResponse Ok(ReadOnlyMemory<byte> jsonBody = default) => jsonBody.IsEmpty ? EmptyOk : new(200, jsonBody);

    /// <summary>
    /// No answer: the call failed before the target answered, or its answer cannot be taken. Transport failures and timeouts are
    /// retried in the background; a denied endpoint and an oversized answer never are.
    /// </summary>
    /// <param name="kind">
    /// <see cref="TargetFailureKind.Transport"/> (no connection, a broken one), <see cref="TargetFailureKind.Timeout"/>,
    /// <see cref="TargetFailureKind.ResponseTooLarge"/> or <see cref="TargetFailureKind.Denied"/> (a policy refused the endpoint).
    /// </param>
    /// <param name="reason">A sentence saying why, such as <c>connection refused</c>; logged and shown to the host, so never a secret.</param>
    /// <returns>The failure.</returns>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not one of the four an invoker may report, or <paramref name="reason"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    public static TargetResponse Failed(TargetFailureKind kind, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (kind is not (TargetFailureKind.Transport or TargetFailureKind.Timeout or TargetFailureKind.ResponseTooLarge or TargetFailureKind.Denied))
        {
            throw new ArgumentException(
                $"An invoker reports a failure of kind Transport, Timeout, ResponseTooLarge or Denied, not {kind}; the dispatcher classifies statuses, bodies and forwarded errors itself: return the answer as a TargetResponse instead.",
                nameof(kind));
        }

        return new TargetResponse(kind, reason);
    }
}
