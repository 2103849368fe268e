using ActionExec.Errors;
using ActionExec.Management;

namespace ActionExec.AspNetCore.Wire;

/// <summary>ZITADEL's <c>TargetSearchFilter</c>: exactly one of <c>targetNameFilter</c> and <c>inTargetIdsFilter</c>.</summary>
internal sealed record V2TargetSearchFilterJson
{
    /// <summary>Filters by name.</summary>
    public V2TargetNameFilterJson? TargetNameFilter { get; init; }

    /// <summary>Filters by ids.</summary>
    public V2InTargetIdsFilterJson? InTargetIdsFilter { get; init; }

    /// <summary>The model filter, adding the violations of the wire shape under <paramref name="field"/>; null when any was found.</summary>
    internal TargetQuery.Filter? ToModel(string field, ViolationList violations)
    {
        if ((TargetNameFilter is null) == (InTargetIdsFilter is null))
        {
            violations.Add(field, $"The filter {(TargetNameFilter is null ? "names no criterion" : "names two criteria")}; give exactly one of targetNameFilter or inTargetIdsFilter, such as {{\"targetNameFilter\": {{\"targetName\": \"hook\", \"method\": \"TEXT_FILTER_METHOD_CONTAINS\"}}}}.");
            return null;
        }

        if (TargetNameFilter is { } name)
        {
            var method = V2Wire.ReadTextFilterMethod(name.Method, field + ".targetNameFilter.method", violations);
            return TargetQuery.Filter.ByName(name.TargetName ?? "", method);
        }

        var ids = InTargetIdsFilter!.TargetIds ?? [];
        var before = violations.Count;
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] is null)
            {
                violations.Add($"{field}.inTargetIdsFilter.targetIds[{i}]", "The target id is null; give the ids of targets.");
            }
        }

        return violations.Count > before ? null : TargetQuery.Filter.ByIds(ids!);
    }
}
