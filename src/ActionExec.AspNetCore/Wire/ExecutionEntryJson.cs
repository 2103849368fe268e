using System.Text.Json.Serialization;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// One entry of an execution in the wire format: exactly one of <c>{"target": "&lt;target id&gt;"}</c> or
/// <c>{"include": &lt;condition&gt;}</c>. A plain string <c>"&lt;target id&gt;"</c> (the v2 form) is read as a
/// target; entries are always written in the object form.
/// </summary>
[JsonConverter(typeof(ExecutionEntryJsonConverter))]
internal sealed record ExecutionEntryJson
{
    /// <summary>The id of the target to call.</summary>
    public string? Target { get; init; }

    /// <summary>The condition of the execution whose entries are included in place.</summary>
    public ConditionJson? Include { get; init; }

    internal static ExecutionEntryJson FromModel(ExecutionEntry entry) =>
        entry.Kind == ExecutionEntryKind.Target
            ? new() { Target = entry.TargetId }
            : new() { Include = ConditionJson.FromModel(entry.Include!) };

    /// <summary>
    /// Creates the model entry, adding the violations of its shape under <paramref name="field"/>; null when any
    /// was found. The rules of ids and of duplicates are left to <see cref="ExecutionRules"/>.
    /// </summary>
    internal ExecutionEntry? ToModel(string field, ViolationList violations)
    {
        if ((Target is null) == (Include is null))
        {
            var found = Target is null ? "names neither a target nor an include" : "names both a target and an include";
            violations.Add(field, $"The entry {found}; give exactly one: {{\"target\": \"<target id>\"}} or {{\"include\": <condition>}}.");
            return null;
        }

        if (Include is not null)
        {
            return Include.ToModel(JsonFailure.Join(field, "include"), violations) is { } condition ? ExecutionEntry.ForInclude(condition) : null;
        }

        // An empty id cannot become an entry; the id rule itself still decides what is reported.
        return Target!.Length > 0 || TargetRules.CheckId(Target, JsonFailure.Join(field, "target"), violations)
            ? ExecutionEntry.ForTarget(Target)
            : null;
    }
}
