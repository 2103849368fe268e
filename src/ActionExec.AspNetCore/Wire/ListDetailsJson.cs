using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The details of a list response: <c>{"totalResult": "2", "appliedLimit": "100"}</c> (uint64 values written as strings).</summary>
internal sealed record ListDetailsJson
{
    /// <summary>How many items match, in total.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong TotalResult { get; init; }

    /// <summary>The most items the response may hold.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong AppliedLimit { get; init; }
}
