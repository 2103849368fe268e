using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The body that adds a public key to a target (<c>POST /v2/actions/targets/{target_id}/publickeys</c>):
/// <c>{"publicKey": "LS0tLS1CRUdJTi…", "expirationDate": "2025-12-18T07:50:47.492Z"}</c>, the key being the base64 of its PEM text
/// (proto <c>bytes</c>).
/// </summary>
internal sealed record AddPublicKeyRequestJson
{
    /// <summary>The target; the path's id wins, as ZITADEL's gateway fills path parameters over the body.</summary>
    public string? TargetId { get; init; }

    /// <summary>The PEM text of the key, as bytes.</summary>
    [JsonConverter(typeof(ProtoBytesJsonConverter))]
    public byte[]? PublicKey { get; init; }

    /// <summary>When the key stops being used; absent for a key that does not expire.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? ExpirationDate { get; init; }
}
