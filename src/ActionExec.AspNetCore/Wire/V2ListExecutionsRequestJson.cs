using System.Text.Json.Serialization;
using ActionExec.Errors;
using ActionExec.Management;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The body of <c>POST /v2/actions/executions/search</c> (ZITADEL's GA <c>ListExecutionsRequest</c>):
/// <c>{"pagination": {"offset", "limit", "asc"}, "sortingColumn": "EXECUTION_FIELD_NAME_ID", "filters": [ … ]}</c>.
/// </summary>
internal sealed record V2ListExecutionsRequestJson
{
    /// <summary>The page.</summary>
    public V2PaginationRequestJson? Pagination { get; init; }

    /// <summary>The sort field; absent is the creation date.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? SortingColumn { get; init; }

    /// <summary>The filters, which must all match.</summary>
    public IReadOnlyList<V2ExecutionSearchFilterJson?>? Filters { get; init; }

    /// <summary>The model query, adding every violation of the wire shape; null when any was found.</summary>
    internal ExecutionQuery? ToModel(ViolationList violations)
    {
        var (offset, limit, asc) = V2Wire.ReadPagination(Pagination, ExecutionQuery.MaxLimit, ExecutionQuery.DefaultLimit, violations);
        var sort = V2Wire.ReadExecutionSortField(SortingColumn, violations);
        var filters = new List<ExecutionQuery.Filter>();
        var list = Filters ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var field = $"filters[{i}]";
            if (list[i] is not { } filter)
            {
                violations.Add(field, "The filter is null; give {\"inConditionsFilter\": {…}}, {\"executionTypeFilter\": {…}} or {\"targetFilter\": {…}}.");
            }
            else if (filter.ToModel(field, violations) is { } model)
            {
                filters.Add(model);
            }
        }

        return violations.HasAny ? null : new ExecutionQuery { Offset = offset, Limit = limit, Ascending = asc, SortingColumn = sort, Filters = [.. filters] };
    }
}
