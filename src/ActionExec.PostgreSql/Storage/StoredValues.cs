using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Targets;

namespace ActionExec.PostgreSql.Storage;

/// <summary>
/// How model values are written in rows: enums as stable lower-case names (not ordinals, so that a reordered enum cannot
/// change a stored value), entries as <c>target:&lt;id&gt;</c> or <c>include:&lt;condition id&gt;</c>.
/// </summary>
internal static class StoredValues
{
    private const string TargetPrefix = "target:";
    private const string IncludePrefix = "include:";

    public static string Name(TargetType type) => type switch
    {
        TargetType.Webhook => "webhook",
        TargetType.Call => "call",
        TargetType.Async => "async",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "The target type is not one the store knows."),
    };

    public static TargetType ParseTargetType(string value) => value switch
    {
        "webhook" => TargetType.Webhook,
        "call" => TargetType.Call,
        "async" => TargetType.Async,
        _ => throw Unknown("target_type", value),
    };

    public static string Name(PayloadType type) => type switch
    {
        PayloadType.Json => "json",
        PayloadType.Jwt => "jwt",
        PayloadType.Jwe => "jwe",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "The payload type is not one the store knows."),
    };

    public static PayloadType ParsePayloadType(string value) => value switch
    {
        "json" => PayloadType.Json,
        "jwt" => PayloadType.Jwt,
        "jwe" => PayloadType.Jwe,
        _ => throw Unknown("payload_type", value),
    };

    public static string Name(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.Zitadel => "zitadel",
        SignatureScheme.StandardWebhooks => "standard_webhooks",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "The signature scheme is not one the store knows."),
    };

    public static SignatureScheme ParseSignatureScheme(string value) => value switch
    {
        "zitadel" => SignatureScheme.Zitadel,
        "standard_webhooks" => SignatureScheme.StandardWebhooks,
        _ => throw Unknown("signature_scheme", value),
    };

    public static string[] Entries(Execution execution)
    {
        var entries = execution.Entries;
        var values = new string[entries.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = entries[i].Kind == ExecutionEntryKind.Target
                ? TargetPrefix + entries[i].TargetId
                : IncludePrefix + entries[i].Include!.Id;
        }

        return values;
    }

    public static ExecutionEntry ParseEntry(string value)
    {
        if (value.StartsWith(TargetPrefix, StringComparison.Ordinal))
        {
            return ExecutionEntry.ForTarget(value[TargetPrefix.Length..]);
        }

        if (value.StartsWith(IncludePrefix, StringComparison.Ordinal) && Condition.TryParse(value[IncludePrefix.Length..], out var condition))
        {
            return ExecutionEntry.ForInclude(condition);
        }

        throw Unknown("entries", value);
    }

    private static InvalidOperationException Unknown(string column, string value) =>
        new($"The store read '{value}' from the column {column}, which this version of ActionExec.PostgreSql does not know; upgrade the package to the version that wrote it.");
}
