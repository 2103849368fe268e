using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>ZITADEL's <c>TargetNameFilter</c>: <c>{"targetName": "ip_allow_list", "method": "TEXT_FILTER_METHOD_EQUALS"}</c>.</summary>
internal sealed record V2TargetNameFilterJson
{
    /// <summary>The text to compare the names with; at most 200 characters.</summary>
    public string? TargetName { get; init; }

    /// <summary>How to compare; absent is <c>TEXT_FILTER_METHOD_EQUALS</c>.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Method { get; init; }
}
