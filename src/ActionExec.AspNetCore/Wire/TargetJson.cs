using System.Text.Json.Serialization;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// A target as get and list return it: <c>{"id", "name", "endpoint", "timeout", "restWebhook"|"restCall"|"restAsync",
/// "payloadType", "signatureScheme", "creationDate", "changeDate"}</c>. It has no signing key, by design.
/// </summary>
internal sealed record TargetJson
{
    /// <summary>The id.</summary>
    public string? Id { get; init; }

    /// <summary>The name.</summary>
    public string? Name { get; init; }

    /// <summary>The endpoint URI.</summary>
    public string? Endpoint { get; init; }

    /// <summary>How long one attempt may take, as a proto-JSON duration.</summary>
    [JsonConverter(typeof(ProtoDurationJsonConverter))]
    public TimeSpan? Timeout { get; init; }

    /// <summary>Set for a webhook target.</summary>
    public RestTargetJson? RestWebhook { get; init; }

    /// <summary>Set for a call target.</summary>
    public RestTargetJson? RestCall { get; init; }

    /// <summary>Set for an async target.</summary>
    public RestTargetJson? RestAsync { get; init; }

    /// <summary>The payload type, such as <c>"PAYLOAD_TYPE_JSON"</c>.</summary>
    public string? PayloadType { get; init; }

    /// <summary>The signature scheme: <c>"zitadel"</c> or <c>"standard-webhooks"</c>.</summary>
    public string? SignatureScheme { get; init; }

    /// <summary>When the target was created.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>When the target was last changed.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? ChangeDate { get; init; }

    internal static TargetJson FromModel(Target target) => new()
    {
        Id = target.Id,
        Name = target.Name,
        Endpoint = target.Endpoint,
        Timeout = target.Timeout,
        RestWebhook = TargetWire.Write(target.Type, TargetType.Webhook, target.InterruptOnError),
        RestCall = TargetWire.Write(target.Type, TargetType.Call, target.InterruptOnError),
        RestAsync = TargetWire.Write(target.Type, TargetType.Async, target.InterruptOnError),
        PayloadType = TargetWire.WritePayloadType(target.PayloadType),
        SignatureScheme = TargetWire.WriteSignatureScheme(target.SignatureScheme),
        CreationDate = target.CreationDate,
        ChangeDate = target.ChangeDate,
    };
}
