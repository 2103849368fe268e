using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The answer to activating or deactivating a public key: <c>{"changeDate"}</c>.</summary>
internal sealed record ChangeDateResponseJson
{
    /// <summary>When the key was last changed (unchanged when the call changed nothing).</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? ChangeDate { get; init; }
}
