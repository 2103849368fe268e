using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The answer to adding a public key: <c>{"keyId", "creationDate"}</c>.</summary>
internal sealed record AddPublicKeyResponseJson
{
    /// <summary>The key's generated id, also the <c>kid</c> of the tokens encrypted to it.</summary>
    public string? KeyId { get; init; }

    /// <summary>When the key was added.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? CreationDate { get; init; }
}
