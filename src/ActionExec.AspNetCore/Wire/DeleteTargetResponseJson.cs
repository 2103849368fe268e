using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The response of deleting a target: <c>{"deletionDate": "2024-12-18T07:50:47.492Z"}</c>.</summary>
internal sealed record DeleteTargetResponseJson
{
    /// <summary>When the target was deleted.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset DeletionDate { get; init; }
}
