using System.Text;
using System.Text.Json.Serialization;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// A public key as the list returns it: <c>{"keyId", "active", "publicKey", "fingerprint", "expirationDate", "creationDate",
/// "changeDate"}</c>, <c>publicKey</c> being the base64 of the PEM text.
/// </summary>
internal sealed record PublicKeyJson
{
    /// <summary>The key's id.</summary>
    public string? KeyId { get; init; }

    /// <summary>Whether the key is active now: activated and not expired.</summary>
    public bool? Active { get; init; }

    /// <summary>The PEM text of the key, as bytes.</summary>
    [JsonConverter(typeof(ProtoBytesJsonConverter))]
    public byte[]? PublicKey { get; init; }

    /// <summary><c>SHA256:</c> and the unpadded base64 of the SHA-256 of the key's DER.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>When the key stops being used; absent when it does not expire.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? ExpirationDate { get; init; }

    /// <summary>When the key was added.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>When the key was last added, activated or deactivated.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? ChangeDate { get; init; }

    internal static PublicKeyJson FromModel(TargetPublicKey key) => new()
    {
        KeyId = key.KeyId,
        Active = key.Active,
        PublicKey = Encoding.UTF8.GetBytes(key.PublicKey),
        Fingerprint = key.Fingerprint,
        ExpirationDate = key.ExpirationDate,
        CreationDate = key.CreationDate,
        ChangeDate = key.ChangeDate,
    };
}
