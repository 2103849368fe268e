using ActionExec.TestConsole;

namespace ActionExec.AspNetCore.Wire;

/// <summary>One row of a console chain's trace: <c>{"id", "name", "statusCode", "durationMs", "outcome"}</c>; <c>statusCode</c> is absent for a skipped target.</summary>
internal sealed record ConsoleTraceJson
{
    /// <summary>The target's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The target's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The status the target answered with (500 without an answer, 504 for a timeout); absent when skipped.</summary>
    public int? StatusCode { get; init; }

    /// <summary>How long the call took, in milliseconds (to the microsecond).</summary>
    public double DurationMs { get; init; }

    /// <summary><c>success</c>, <c>skipped</c>, or why the call failed, such as <c>transport_error</c> or <c>timeout</c>.</summary>
    public string Outcome { get; init; } = "";

    internal static ConsoleTraceJson FromModel(ConsoleTraceEntry entry) => new()
    {
        Id = entry.Id,
        Name = entry.Name,
        StatusCode = entry.StatusCode,
        DurationMs = Math.Round(entry.Duration.TotalMilliseconds, 3),
        Outcome = entry.Outcome,
    };
}
