using ActionExec.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActionExec.TestConsole;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The answer of the action test console: <c>{"statusCode": 200, "headers": {"Content-Type": "…"}, "body": …}</c>,
/// plus <c>"trace": [ … ]</c> when an execution's chain ran.
/// </summary>
internal sealed record ConsoleResponseJson
{
    /// <summary>The target's status, or 500 (504 for a timeout) when it gave no answer.</summary>
    public int StatusCode { get; init; }

    /// <summary>The answer's headers without hop-by-hop ones.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The answer's JSON, or its text as a JSON string; <c>null</c> for an empty body. Always written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public JsonElement Body { get; init; }

    /// <summary>For a chain, one row per target; absent for one target.</summary>
    public IReadOnlyList<ConsoleTraceJson>? Trace { get; init; }

    internal static ConsoleResponseJson FromModel(ConsoleResponse response) => new()
    {
        StatusCode = response.StatusCode,
        Headers = response.Headers,
        Body = response.Body.ValueKind == JsonValueKind.Undefined ? JsonElements.Null : response.Body,
        Trace = response.IsChain ? [.. response.Trace.Select(ConsoleTraceJson.FromModel)] : null,
    };
}
