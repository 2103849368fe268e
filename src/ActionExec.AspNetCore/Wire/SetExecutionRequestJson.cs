using ActionExec.Errors;
using ActionExec.Executions;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The body of <c>SetExecution</c> (<c>PUT /v2beta/actions/executions</c> and <c>PUT /v3alpha/executions</c>):
/// <c>{"condition": …, "targets": [ … ]}</c>.
/// </summary>
internal sealed record SetExecutionRequestJson
{
    /// <summary>When the execution runs; required.</summary>
    public ConditionJson? Condition { get; init; }

    /// <summary>The ordered entries; missing or <see langword="null"/> is the empty list, which removes the execution.</summary>
    public IReadOnlyList<ExecutionEntryJson?>? Targets { get; init; }

    /// <summary>Creates the model request, adding every violation of the condition and of the entries; null when any was found.</summary>
    internal SetExecutionRequest? ToModel(ViolationList violations)
    {
        var condition = Condition?.ToModel("condition", violations);
        if (Condition is null)
        {
            violations.Add("condition", "The condition is missing; give one such as {\"request\": {\"method\": \"/pkg.v1.Service/Method\"}}.");
        }

        var targets = Targets ?? [];
        var entries = new ExecutionEntry?[targets.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var field = $"targets[{i}]";
            if (targets[i] is { } entry)
            {
                entries[i] = entry.ToModel(field, violations);
            }
            else
            {
                violations.Add(field, "The entry is null; give \"<target id>\", {\"target\": \"<target id>\"} or {\"include\": <condition>}.");
            }
        }

        ExecutionRules.ValidateEntries(entries, "targets", violations, skipNulls: true);
        return violations.HasAny ? null : new SetExecutionRequest(condition!, [.. entries.Select(entry => entry!)]);
    }
}
