using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>ZITADEL's <c>ExecutionSearchFilter</c>: exactly one of <c>inConditionsFilter</c>, <c>executionTypeFilter</c> and <c>targetFilter</c>.</summary>
internal sealed record V2ExecutionSearchFilterJson
{
    /// <summary>Filters by conditions.</summary>
    public V2InConditionsFilterJson? InConditionsFilter { get; init; }

    /// <summary>Filters by type.</summary>
    public V2ExecutionTypeFilterJson? ExecutionTypeFilter { get; init; }

    /// <summary>Filters by a target called.</summary>
    public V2TargetFilterJson? TargetFilter { get; init; }

    /// <summary>The model filter, adding the violations of the wire shape under <paramref name="field"/>; null when any was found.</summary>
    internal ExecutionQuery.Filter? ToModel(string field, ViolationList violations)
    {
        var given = (InConditionsFilter is null ? 0 : 1) + (ExecutionTypeFilter is null ? 0 : 1) + (TargetFilter is null ? 0 : 1);
        if (given != 1)
        {
            violations.Add(field, $"The filter {(given == 0 ? "names no criterion" : $"names {given} criteria")}; give exactly one of inConditionsFilter, executionTypeFilter or targetFilter, such as {{\"executionTypeFilter\": {{\"executionType\": \"EXECUTION_TYPE_REQUEST\"}}}}.");
            return null;
        }

        var before = violations.Count;
        if (ExecutionTypeFilter is { } type)
        {
            var kind = V2Wire.ReadExecutionType(type.ExecutionType, field + ".executionTypeFilter.executionType", violations);
            return kind is { } k ? ExecutionQuery.Filter.OfType(k) : null;
        }

        if (TargetFilter is { } target)
        {
            // Checked here as well as by the search, so that it is listed with the other violations of the body.
            return TargetRules.CheckId(target.TargetId, field + ".targetFilter.targetId", violations) ? ExecutionQuery.Filter.ByTarget(target.TargetId!) : null;
        }

        var conditions = new List<Condition>();
        var list = InConditionsFilter!.Conditions ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"{field}.inConditionsFilter.conditions[{i}]";
            if (list[i] is not { } json)
            {
                violations.Add(path, "The condition is null; give one such as {\"request\": {\"method\": \"/pkg.v1.Service/Method\"}}.");
            }
            else if (json.ToModel(path, violations) is { } condition)
            {
                conditions.Add(condition);
            }
        }

        return violations.Count > before ? null : ExecutionQuery.Filter.InConditions(conditions);
    }
}
