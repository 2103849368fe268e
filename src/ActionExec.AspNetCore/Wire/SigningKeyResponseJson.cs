using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The response of rotating a target's signing key: <c>{"signingKey": "…", "changeDate": "2024-12-18T07:50:47.492Z"}</c>.
/// Besides creation, the only response that carries a key.
/// </summary>
internal sealed record SigningKeyResponseJson
{
    /// <summary>The new signing key; the old one stops working for new calls.</summary>
    public string? SigningKey { get; init; }

    /// <summary>When the key was replaced.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset ChangeDate { get; init; }
}
