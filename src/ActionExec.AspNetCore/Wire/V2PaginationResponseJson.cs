using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>ZITADEL's <c>PaginationResponse</c>: <c>{"totalResult": "2", "appliedLimit": "100"}</c> (uint64 values written as strings).</summary>
internal sealed record V2PaginationResponseJson
{
    /// <summary>How many items match in all, whatever the page.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong TotalResult { get; init; }

    /// <summary>The page size applied.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong AppliedLimit { get; init; }
}
