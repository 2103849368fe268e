using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>ZITADEL's <c>PaginationRequest</c>: <c>{"offset": "0", "limit": 100, "asc": true}</c> (numbers as JSON numbers or strings).</summary>
internal sealed record V2PaginationRequestJson
{
    /// <summary>How many matches to skip (uint64).</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public ulong? Offset { get; init; }

    /// <summary>The page size (uint32); 0 or absent is the default.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public uint? Limit { get; init; }

    /// <summary>Ascending order; descending when false or absent.</summary>
    public bool? Asc { get; init; }
}
