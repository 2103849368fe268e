using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The response of <c>DELETE /v2/actions/targets/{id}</c>: <c>{"deletionDate"}</c>, or <c>{}</c> when the target was already gone.</summary>
internal sealed record V2DeleteTargetResponseJson
{
    /// <summary>When the target was deleted by this call; absent when there was nothing to delete.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? DeletionDate { get; init; }
}
