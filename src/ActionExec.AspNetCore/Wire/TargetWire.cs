using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The wire names of a target's type, payload type and signature scheme, read and written in one place.</summary>
internal static class TargetWire
{
    public const string PayloadTypeJson = "PAYLOAD_TYPE_JSON";

    /// <summary>
    /// Reads the one of <c>restWebhook</c>, <c>restCall</c> and <c>restAsync</c> that is given. None (when
    /// <paramref name="required"/>) or several add a violation on <c>targetType</c>; the result is then null.
    /// </summary>
    public static (TargetType Type, bool InterruptOnError)? ReadType(
        RestTargetJson? webhook,
        RestTargetJson? call,
        RestTargetJson? async,
        bool required,
        ViolationList violations)
    {
        ReadOnlySpan<(string Name, TargetType Type, RestTargetJson? Json)> types =
        [
            ("restWebhook", TargetType.Webhook, webhook),
            ("restCall", TargetType.Call, call),
            ("restAsync", TargetType.Async, async),
        ];

        var given = new List<string>(types.Length);
        (TargetType Type, bool InterruptOnError)? chosen = null;
        foreach (var (name, type, json) in types)
        {
            if (json is not null)
            {
                given.Add(name);
                chosen = (type, json.InterruptOnError ?? false);
            }
        }

        if (given.Count > 1 || (given.Count == 0 && required))
        {
            var found = given.Count == 0 ? "names no type" : $"names {given.Count} types ({string.Join(", ", given)})";
            violations.Add("targetType", $"The target {found}; give exactly one of restWebhook, restCall or restAsync, such as {{\"restWebhook\": {{\"interruptOnError\": true}}}}.");
            return null;
        }

        return chosen;
    }

    public static RestTargetJson? Write(TargetType type, TargetType slot, bool interruptOnError) =>
        type != slot ? null
        : type == TargetType.Async ? new RestTargetJson()
        : new RestTargetJson { InterruptOnError = interruptOnError };

    /// <summary>Reads <c>"PAYLOAD_TYPE_JSON"</c> or <c>"json"</c>; null when not given or not valid (then with a violation).</summary>
    public static PayloadType? ReadPayloadType(string? value, ViolationList violations)
    {
        if (value is null or PayloadTypeJson or "json")
        {
            return value is null ? null : PayloadType.Json;
        }

        violations.Add("payloadType", $"The payload type '{ConditionRules.Shorten(value)}' is unknown; use \"{PayloadTypeJson}\".");
        return null;
    }

    /// <summary>The proto enum name, such as <c>PAYLOAD_TYPE_JSON</c>.</summary>
    public static string WritePayloadType(PayloadType value) => "PAYLOAD_TYPE_" + value.ToString().ToUpperInvariant();

    /// <summary>Reads <c>"zitadel"</c> or <c>"standard-webhooks"</c>; null when not given or not valid (then with a violation).</summary>
    public static SignatureScheme? ReadSignatureScheme(string? value, ViolationList violations)
    {
        switch (value)
        {
            case null:
                return null;
            case "zitadel":
                return SignatureScheme.Zitadel;
            case "standard-webhooks":
                return SignatureScheme.StandardWebhooks;
            default:
                violations.Add("signatureScheme", $"The signature scheme '{ConditionRules.Shorten(value)}' is unknown; use \"zitadel\" or \"standard-webhooks\".");
                return null;
        }
    }

    public static string WriteSignatureScheme(SignatureScheme value) =>
        value == SignatureScheme.StandardWebhooks ? "standard-webhooks" : "zitadel";
}
