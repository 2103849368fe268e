using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Text.Json;

namespace ActionExec.TestConsole;

/// <summary>
/// What the action test console returns: the target's own status, its headers without hop-by-hop ones and its
/// body; for a target that gave no answer, 500 (504 for a timeout) with <c>{"success": false, "message": "…"}</c>. A chain
/// also carries its <see cref="Trace"/>.
/// </summary>
public sealed record ConsoleResponse
{
    /// <summary>The status the target answered with, or 500 (504 for a timeout) when it gave no answer.</summary>
    public required int StatusCode { get; init; }

    /// <summary>
    /// The answer's headers without hop-by-hop ones, in the order received. A header that came several times appears once,
    /// under its first spelling, with its values joined by <c>", "</c>. Empty when the target gave no answer.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>
    /// The answer's body: the JSON value itself when the body is one whole JSON value and its <c>Content-Type</c> is absent or
    /// a JSON type (<c>application/json</c>, <c>text/json</c>, <c>…+json</c>); otherwise the body as a JSON string (decoded as
    /// UTF-8, invalid bytes replaced by U+FFFD); JSON <c>null</c> for an empty body.
    /// </summary>
    public required JsonElement Body { get; init; }

    /// <summary>Whether an execution's chain ran (then <see cref="Trace"/> is written), rather than one target.</summary>
    public bool IsChain { get; init; }

    /// <summary>For a chain, one entry per target in the order of the chain; empty for one target.</summary>
    public ImmutableArray<ConsoleTraceEntry> Trace { get; init; } = [];
}
