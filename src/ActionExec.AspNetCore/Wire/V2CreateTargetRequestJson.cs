using System.Text.Json.Serialization;
using ActionExec.Errors;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The body of <c>POST /v2/actions/targets</c> (ZITADEL's GA <c>CreateTargetRequest</c>): <c>{"name", "endpoint", "timeout",
/// "restWebhook"|"restCall"|"restAsync", "payloadType"}</c>, with the v2beta extension <c>signatureScheme</c>.
/// </summary>
internal record V2CreateTargetRequestJson
{
    /// <summary>The name, unique within the tenant.</summary>
    public string? Name { get; init; }

    /// <summary>The absolute endpoint URI.</summary>
    public string? Endpoint { get; init; }

    /// <summary>How long one attempt may take, as a proto-JSON duration such as <c>"10s"</c>.</summary>
    [JsonConverter(typeof(ProtoDurationJsonConverter))]
    public TimeSpan? Timeout { get; init; }

    /// <summary>Makes the target a webhook.</summary>
    public RestTargetJson? RestWebhook { get; init; }

    /// <summary>Makes the target a call.</summary>
    public RestTargetJson? RestCall { get; init; }

    /// <summary>Makes the target async.</summary>
    public RestTargetJson? RestAsync { get; init; }

    /// <summary><c>"PAYLOAD_TYPE_JSON"</c> (the default), <c>"PAYLOAD_TYPE_JWT"</c> or <c>"PAYLOAD_TYPE_JWE"</c>, or their numbers.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? PayloadType { get; init; }

    /// <summary><c>"zitadel"</c> (the default) or <c>"standard-webhooks"</c>.</summary>
    public string? SignatureScheme { get; init; }

    /// <summary>The v2beta shape of the same fields, without the payload type, which the GA API reads itself.</summary>
    internal TargetRequestJson ToV2Beta() => new()
    {
        Name = Name,
        Endpoint = Endpoint,
        Timeout = Timeout,
        RestWebhook = RestWebhook,
        RestCall = RestCall,
        RestAsync = RestAsync,
        SignatureScheme = SignatureScheme,
    };

    /// <summary>The model specification, adding the violations of the wire shape.</summary>
    internal TargetSpec ToSpec(ViolationList violations)
    {
        var spec = ToV2Beta().ToSpec(violations);
        return spec with { PayloadType = V2Wire.ReadPayloadType(PayloadType, violations) ?? Targets.PayloadType.Json };
    }
}
