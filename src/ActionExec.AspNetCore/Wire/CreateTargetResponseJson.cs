using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The response to creating a target: <c>{"id", "creationDate", "signingKey"}</c>; the only read that returns the key.</summary>
internal sealed record CreateTargetResponseJson
{
    /// <summary>The generated id.</summary>
    public string? Id { get; init; }

    /// <summary>When the target was created.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset CreationDate { get; init; }

    /// <summary>The signing key; returned here and by key rotation only.</summary>
    public string? SigningKey { get; init; }
}
