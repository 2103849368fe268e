using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The body of <c>PUT /v2/actions/executions</c> (ZITADEL's GA <c>SetExecutionRequest</c>): <c>{"condition": …, "targets":
/// ["&lt;target id&gt;", …]}</c>. The GA API has target ids only, no includes.
/// </summary>
internal sealed record V2SetExecutionRequestJson
{
    /// <summary>When the execution runs; required.</summary>
    public ConditionJson? Condition { get; init; }

    /// <summary>The ordered target ids; missing, null or empty removes the execution.</summary>
    public IReadOnlyList<string?>? Targets { get; init; }

    /// <summary>Creates the model request, adding every violation (paths <c>condition…</c> and <c>targets[i]</c>); null when any was found.</summary>
    internal SetExecutionRequest? ToModel(ViolationList violations)
    {
        var condition = Condition?.ToModel("condition", violations);
        if (Condition is null)
        {
            violations.Add("condition", "The condition is missing; give one such as {\"request\": {\"method\": \"/pkg.v1.Service/Method\"}}.");
        }

        var targets = Targets ?? [];
        var entries = new List<ExecutionEntry>(targets.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < targets.Count; i++)
        {
            var field = $"targets[{i}]";
            var id = targets[i];
            if (id is null)
            {
                violations.Add(field, "The target id is null; give the id of a target.");
            }
            else if (TargetRules.CheckId(id, field, violations))
            {
                if (!seen.TryAdd(id, i))
                {
                    violations.Add(field, $"The target '{id}' is listed twice (first at targets[{seen[id]}]); list each target once.");
                }
                else
                {
                    entries.Add(ExecutionEntry.ForTarget(id));
                }
            }
        }

        return violations.HasAny ? null : new SetExecutionRequest(condition!, [.. entries]);
    }
}
