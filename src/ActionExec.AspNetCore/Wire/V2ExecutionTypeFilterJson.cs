using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>ZITADEL's <c>ExecutionTypeFilter</c>: <c>{"executionType": "EXECUTION_TYPE_REQUEST"}</c>.</summary>
internal sealed record V2ExecutionTypeFilterJson
{
    /// <summary>The type: request, response, event or function.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? ExecutionType { get; init; }
}
