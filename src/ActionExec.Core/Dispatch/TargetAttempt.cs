using ActionExec.Engine;

namespace ActionExec.Dispatch;

/// <summary>The classified result of one attempt to call a target.</summary>
internal sealed record TargetAttempt
{
    internal TargetAttempt(ResolvedTarget target, TargetFailureKind failure, int? statusCode, string? reason, ReadOnlyMemory<byte> body, TimeSpan duration)
    {
        Target = target;
        Failure = failure;
        StatusCode = statusCode;
        Reason = reason;
        Body = body;
        Duration = duration;
    }

    /// <summary>The target.</summary>
    public ResolvedTarget Target { get; }

    /// <summary>Why the attempt failed; <see cref="TargetFailureKind.None"/> when it succeeded.</summary>
    public TargetFailureKind Failure { get; }

    /// <summary>Whether the attempt succeeded.</summary>
    public bool Succeeded => Failure == TargetFailureKind.None;

    /// <summary>The status the target answered with, when it answered.</summary>
    public int? StatusCode { get; }

    /// <summary>A sentence saying why the attempt failed (never a body or a key); <see langword="null"/> on success.</summary>
    public string? Reason { get; }

    /// <summary>The answer's body (for a call target, the JSON that replaces the message).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>How long the attempt took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The status a target forwarded with <c>forwardedStatusCode</c>, if it did.</summary>
    public int? ForwardedStatusCode { get; init; }

    /// <summary>The message a target forwarded with <c>forwardedErrorMessage</c>, if it did.</summary>
    public string? ForwardedMessage { get; init; }

    /// <summary>The <c>Retry-After</c> the target asked for, if any.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// The target's answer as its invoker returned it (status, headers without hop-by-hop ones, body) whenever the target
    /// answered, also when the attempt is classified as a failure (a status that is not 2xx, a forwarded error, a call
    /// target's body that is not JSON); <see langword="null"/> when it gave no answer (transport error, timeout, denied
    /// endpoint, no invoker) or an answer over the size limit.
    /// </summary>
    public TargetResponse? Answer { get; init; }

    /// <summary>
    /// Whether a background delivery should try again: transport errors, timeouts, 408, 429 and 5xx. Other 4xx, 410,
    /// redirects, oversized or non-JSON answers, forwarded errors and denied endpoints are final.
    /// </summary>
    public bool IsRetryable => Failure switch
    {
        TargetFailureKind.Transport or TargetFailureKind.Timeout => true,
        TargetFailureKind.Status => StatusCode is 408 or 429 or >= 500,
        _ => false,
    };
}
