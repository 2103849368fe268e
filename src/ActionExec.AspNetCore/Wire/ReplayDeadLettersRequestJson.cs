using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The body of <c>POST /v2/actions/deliveries/replay</c>: <c>{"since": "2024-12-18T07:50:47.492Z", "targetId": "…"}</c>. Every
/// dead letter created at or after <c>since</c> is replayed; with <c>targetId</c>, only those that gave that target up.
/// </summary>
internal sealed record ReplayDeadLettersRequestJson
{
    /// <summary>The earliest creation time of the dead letters to replay; required.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only dead letters that gave up this target; optional.</summary>
    public string? TargetId { get; init; }
}
