using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The v2beta <c>SetExecution</c> response: <c>{"setDate": "2024-12-18T07:50:47.492Z"}</c>.</summary>
internal sealed record SetDateResponseJson
{
    /// <summary>When the change was committed (for an unchanged execution, when it was last changed).</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset SetDate { get; init; }
}
