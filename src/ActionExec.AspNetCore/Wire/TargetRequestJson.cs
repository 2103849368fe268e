using System.Text.Json.Serialization;
using ActionExec.Errors;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The body that creates a target (<c>POST /v2beta/actions/targets</c>) or changes one (<c>PATCH</c>, where every
/// property is optional): <c>{"name", "endpoint", "timeout": "10s", "restWebhook": {"interruptOnError": true}}</c>,
/// with <c>restCall</c> or <c>restAsync</c> in place of <c>restWebhook</c>, and optionally <c>payloadType</c> and
/// <c>signatureScheme</c>.
/// </summary>
internal sealed record TargetRequestJson
{
    /// <summary>The name, unique within the tenant.</summary>
    public string? Name { get; init; }

    /// <summary>The absolute endpoint URI.</summary>
    public string? Endpoint { get; init; }

    /// <summary>How long one attempt may take, as a proto-JSON duration such as <c>"10s"</c>.</summary>
    [JsonConverter(typeof(ProtoDurationJsonConverter))]
    public TimeSpan? Timeout { get; init; }

    /// <summary>Makes the target a webhook: called and awaited, its response body ignored.</summary>
    public RestTargetJson? RestWebhook { get; init; }

    /// <summary>Makes the target a call: called and awaited, its JSON response replaces the message.</summary>
    public RestTargetJson? RestCall { get; init; }

    /// <summary>Makes the target async: handed to the delivery queue and not awaited.</summary>
    public RestTargetJson? RestAsync { get; init; }

    /// <summary><c>"PAYLOAD_TYPE_JSON"</c> (or <c>"json"</c>); the default.</summary>
    public string? PayloadType { get; init; }

    /// <summary><c>"zitadel"</c> (the default) or <c>"standard-webhooks"</c>.</summary>
    public string? SignatureScheme { get; init; }

    /// <summary>
    /// Creates the model specification, adding the violations of the wire shape (type, payload type, signature
    /// scheme). Absent values take their proto defaults (an empty name, a zero timeout), which
    /// <see cref="TargetRules"/> rejects in its own words; that check is left to the caller.
    /// </summary>
    internal TargetSpec ToSpec(ViolationList violations)
    {
        var type = TargetWire.ReadType(RestWebhook, RestCall, RestAsync, required: true, violations);
        return new TargetSpec
        {
            Name = Name ?? "",
            Endpoint = Endpoint ?? "",
            Timeout = Timeout ?? TimeSpan.Zero,
            Type = type?.Type ?? TargetType.Webhook,
            InterruptOnError = type?.InterruptOnError ?? false,
            PayloadType = TargetWire.ReadPayloadType(PayloadType, violations) ?? Targets.PayloadType.Json,
            SignatureScheme = TargetWire.ReadSignatureScheme(SignatureScheme, violations) ?? Targets.SignatureScheme.Zitadel,
        };
    }

    /// <summary>
    /// Creates the model change, adding the violations of the wire shape. A type given replaces the stored type
    /// and its <c>interruptOnError</c> (absent is <see langword="false"/>).
    /// </summary>
    internal TargetUpdate ToUpdate(ViolationList violations)
    {
        var type = TargetWire.ReadType(RestWebhook, RestCall, RestAsync, required: false, violations);
        return new TargetUpdate
        {
            Name = Name,
            Endpoint = Endpoint,
            Timeout = Timeout,
            Type = type?.Type,
            InterruptOnError = type?.InterruptOnError,
            PayloadType = TargetWire.ReadPayloadType(PayloadType, violations),
            SignatureScheme = TargetWire.ReadSignatureScheme(SignatureScheme, violations),
        };
    }
}
