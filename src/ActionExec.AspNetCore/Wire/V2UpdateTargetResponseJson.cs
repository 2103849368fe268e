using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The response of <c>POST /v2/actions/targets/{id}</c>: <c>{"changeDate"}</c>, plus <c>"signingKey"</c> when the key was replaced.</summary>
internal sealed record V2UpdateTargetResponseJson
{
    /// <summary>When the target was last changed.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset ChangeDate { get; init; }

    /// <summary>The new signing key, when <c>expirationSigningKey</c> asked for one; otherwise absent.</summary>
    public string? SigningKey { get; init; }
}
