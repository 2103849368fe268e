using System.Text.Json.Serialization;
using ActionExec.Errors;
using ActionExec.Management;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The body of <c>POST /v2/actions/targets/search</c> (ZITADEL's GA <c>ListTargetsRequest</c>):
/// <c>{"pagination": {"offset", "limit", "asc"}, "sortingColumn": "TARGET_FIELD_NAME_NAME", "filters": [ … ]}</c>.
/// </summary>
internal sealed record V2ListTargetsRequestJson
{
    /// <summary>The page.</summary>
    public V2PaginationRequestJson? Pagination { get; init; }

    /// <summary>The sort field; absent is the creation date.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? SortingColumn { get; init; }

    /// <summary>The filters, which must all match.</summary>
    public IReadOnlyList<V2TargetSearchFilterJson?>? Filters { get; init; }

    /// <summary>The model query, adding every violation of the wire shape; null when any was found.</summary>
    internal TargetQuery? ToModel(ViolationList violations)
    {
        var (offset, limit, asc) = V2Wire.ReadPagination(Pagination, TargetQuery.MaxLimit, TargetQuery.DefaultLimit, violations);
        var sort = V2Wire.ReadTargetSortField(SortingColumn, violations);
        var filters = new List<TargetQuery.Filter>();
        var list = Filters ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var field = $"filters[{i}]";
            if (list[i] is not { } filter)
            {
                violations.Add(field, "The filter is null; give {\"targetNameFilter\": {…}} or {\"inTargetIdsFilter\": {…}}.");
            }
            else if (filter.ToModel(field, violations) is { } model)
            {
                filters.Add(model);
            }
        }

        return violations.HasAny ? null : new TargetQuery { Offset = offset, Limit = limit, Ascending = asc, SortingColumn = sort, Filters = [.. filters] };
    }
}
