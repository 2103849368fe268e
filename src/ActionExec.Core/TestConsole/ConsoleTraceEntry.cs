namespace ActionExec.TestConsole;

/// <summary>One target of a chain that the console ran: who it is, what it answered, how long it took and how it went.</summary>
public sealed record ConsoleTraceEntry
{
    /// <summary>The outcome of a target that answered with success.</summary>
    public const string Success = "success";

    /// <summary>The outcome of a target that did not run because an interrupting target before it failed.</summary>
    public const string Skipped = "skipped";

    /// <summary>The target's id.</summary>
    public required string Id { get; init; }

    /// <summary>The target's name.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The status the target answered with; 500 when it gave no answer, 504 when it timed out (as the console would report
    /// it alone); <see langword="null"/> when it was skipped.
    /// </summary>
    public int? StatusCode { get; init; }

    /// <summary>How long the call took, body included; zero when the target was skipped.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>
    /// <see cref="Success"/>, <see cref="Skipped"/>, or why the call failed, as the metrics name it: <c>transport_error</c>,
    /// <c>timeout</c>, <c>status</c>, <c>response_too_large</c>, <c>not_json</c>, <c>forwarded</c>, <c>denied</c> or <c>no_invoker</c>.
    /// </summary>
    public required string Outcome { get; init; }
}
