using System.Collections.Immutable;
using System.Globalization;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Targets;

namespace ActionExec.Management;

/// <summary>The searches of ZITADEL's GA API: filters that must all match, a sort field with id as tie-break, offset and limit.</summary>
internal sealed partial class ActionManagementService
{
    /// <summary>The longest text a target name filter may have (ZITADEL's <c>max_len</c>).</summary>
    internal const int MaxNameFilterLength = 200;

    /// <inheritdoc />
    public async ValueTask<TargetPage> SearchTargetsAsync(ManagementCaller caller, TargetQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var snapshot = await ReadAsync(caller, ActionPermissions.TargetRead, cancellationToken).ConfigureAwait(false);
        var violations = new ViolationList();
        var limit = CheckPage(query.Offset, query.Limit, TargetQuery.DefaultLimit, TargetQuery.MaxLimit, violations);
        if (!Enum.IsDefined(query.SortingColumn))
        {
            violations.Add("sortingColumn", string.Create(CultureInfo.InvariantCulture, $"The sorting column {(int)query.SortingColumn} is unknown; give one of {string.Join(", ", Enum.GetNames<TargetQuery.SortField>())}."));
        }

        var filters = query.Filters.IsDefault ? [] : query.Filters;
        for (var i = 0; i < filters.Length; i++)
        {
            CheckTargetFilter(filters[i], $"filters[{i}]", violations);
        }

        violations.ThrowIfAny();

        var matching = snapshot.Targets.Where(t => filters.All(f => Matches(f, t))).ToList();
        matching.Sort(TargetOrder(query.SortingColumn, query.Ascending));
        return new TargetPage([.. Page(matching, query.Offset, limit)], matching.Count, limit);
    }

    /// <inheritdoc />
    public async ValueTask<ExecutionPage> SearchExecutionsAsync(ManagementCaller caller, ExecutionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var snapshot = await ReadAsync(caller, ActionPermissions.ExecutionRead, cancellationToken).ConfigureAwait(false);
        var violations = new ViolationList();
        var limit = CheckPage(query.Offset, query.Limit, ExecutionQuery.DefaultLimit, ExecutionQuery.MaxLimit, violations);
        if (!Enum.IsDefined(query.SortingColumn))
        {
            violations.Add("sortingColumn", string.Create(CultureInfo.InvariantCulture, $"The sorting column {(int)query.SortingColumn} is unknown; give one of {string.Join(", ", Enum.GetNames<ExecutionQuery.SortField>())}."));
        }

        var filters = query.Filters.IsDefault ? [] : query.Filters;
        for (var i = 0; i < filters.Length; i++)
        {
            CheckExecutionFilter(filters[i], $"filters[{i}]", violations);
        }

        violations.ThrowIfAny();

        var matching = snapshot.Executions
            .Select(e => new ExecutionPage.Item(e, CalledTargets(snapshot, e)))
            .Where(item => filters.All(f => Matches(f, item)))
            .ToList();
        matching.Sort(ExecutionOrder(query.SortingColumn, query.Ascending));
        return new ExecutionPage([.. Page(matching, query.Offset, limit)], matching.Count, limit);
    }

    /// <summary>The targets an execution calls, in order: its own entries flattened (the engine compiled them with the snapshot).</summary>
    internal static ImmutableArray<string> CalledTargets(ActionSnapshot snapshot, Execution execution) =>
        snapshot.TryGetCompiled(execution.Condition, out var compiled)
            ? [.. compiled.OwnTargets.Select(static t => t.Id)]
            : [];

    /// <summary>Checks offset and limit (under <c>pagination</c>) and returns the limit to apply: 0 is the default.</summary>
    private static int CheckPage(long offset, int limit, int defaultLimit, int maxLimit, ViolationList violations)
    {
        if (offset < 0)
        {
            violations.Add("pagination.offset", string.Create(CultureInfo.InvariantCulture, $"The offset is {offset}; give zero or more."));
        }

        if (limit < 0 || limit > maxLimit)
        {
            violations.Add("pagination.limit", string.Create(CultureInfo.InvariantCulture, $"The limit is {limit}; give a page size from 1 to {maxLimit}, or 0 for the default of {defaultLimit}."));
        }

        return limit == 0 ? defaultLimit : limit;
    }

    private static IEnumerable<T> Page<T>(List<T> sorted, long offset, int limit) =>
        offset >= sorted.Count ? [] : sorted.Skip((int)offset).Take(limit);

    private static void CheckTargetFilter(TargetQuery.Filter? filter, string path, ViolationList violations)
    {
        if (filter is null)
        {
            violations.Add(path, "The filter is empty; give a targetNameFilter or an inTargetIdsFilter.");
        }
        else if (filter.IsNameFilter)
        {
            if (filter.Name!.Length > MaxNameFilterLength)
            {
                violations.Add(path + ".targetNameFilter.targetName", string.Create(CultureInfo.InvariantCulture, $"The name '{MessageText.Shorten(filter.Name)}' has {filter.Name.Length} characters; a name filter has at most {MaxNameFilterLength}."));
            }

            if (!Enum.IsDefined(filter.Method))
            {
                violations.Add(path + ".targetNameFilter.method", string.Create(CultureInfo.InvariantCulture, $"The text filter method {(int)filter.Method} is unknown; give one of {string.Join(", ", Enum.GetNames<TextFilterMethod>())}."));
            }
        }
        else
        {
            for (var j = 0; j < filter.TargetIds.Length; j++)
            {
                if (filter.TargetIds[j] is null)
                {
                    violations.Add($"{path}.inTargetIdsFilter.targetIds[{j}]", "The target id is null; give the ids of targets.");
                }
            }
        }
    }

    private static void CheckExecutionFilter(ExecutionQuery.Filter? filter, string path, ViolationList violations)
    {
        if (filter is null)
        {
            violations.Add(path, "The filter is empty; give an inConditionsFilter, an executionTypeFilter or a targetFilter.");
        }
        else if (filter.ExecutionType is { } kind)
        {
            if (!Enum.IsDefined(kind))
            {
                violations.Add(path + ".executionTypeFilter.executionType", string.Create(CultureInfo.InvariantCulture, $"The execution type {(int)kind} is unknown; give request, response, function or event."));
            }
        }
        else if (filter.TargetId is not null)
        {
            TargetRules.CheckId(filter.TargetId, path + ".targetFilter.targetId", violations);
        }
    }

    private static bool Matches(TargetQuery.Filter filter, Target target)
    {
        if (!filter.IsNameFilter)
        {
            return filter.TargetIds.Contains(target.Id, StringComparer.Ordinal);
        }

        var name = target.Name;
        var text = filter.Name!;
        return filter.Method switch
        {
            TextFilterMethod.Exact => string.Equals(name, text, StringComparison.Ordinal),
            TextFilterMethod.ExactIgnoreCase => string.Equals(name, text, StringComparison.OrdinalIgnoreCase),
            TextFilterMethod.StartsWith => name.StartsWith(text, StringComparison.Ordinal),
            TextFilterMethod.StartsWithIgnoreCase => name.StartsWith(text, StringComparison.OrdinalIgnoreCase),
            TextFilterMethod.Contains => name.Contains(text, StringComparison.Ordinal),
            TextFilterMethod.ContainsIgnoreCase => name.Contains(text, StringComparison.OrdinalIgnoreCase),
            TextFilterMethod.EndsWith => name.EndsWith(text, StringComparison.Ordinal),
            _ => name.EndsWith(text, StringComparison.OrdinalIgnoreCase),
        };
    }

    private static bool Matches(ExecutionQuery.Filter filter, ExecutionPage.Item item)
    {
        if (filter.ExecutionType is { } kind)
        {
            return item.Execution.Condition.Kind == kind;
        }

        return filter.TargetId is { } targetId
            ? item.TargetIds.Contains(targetId, StringComparer.Ordinal)
            : filter.Conditions.Contains(item.Execution.Condition);
    }

    private static Comparison<Target> TargetOrder(TargetQuery.SortField field, bool ascending)
    {
        Comparison<Target> byField = field switch
        {
            TargetQuery.SortField.Id => static (a, b) => 0,
            TargetQuery.SortField.ChangeDate => static (a, b) => a.ChangeDate.CompareTo(b.ChangeDate),
            TargetQuery.SortField.Name => static (a, b) => string.CompareOrdinal(a.Name, b.Name),
            TargetQuery.SortField.TargetType => static (a, b) => a.Type.CompareTo(b.Type),
            TargetQuery.SortField.Url => static (a, b) => string.CompareOrdinal(a.Endpoint, b.Endpoint),
            TargetQuery.SortField.Timeout => static (a, b) => a.Timeout.CompareTo(b.Timeout),
            TargetQuery.SortField.InterruptOnError => static (a, b) => a.InterruptOnError.CompareTo(b.InterruptOnError),
            _ => static (a, b) => a.CreationDate.CompareTo(b.CreationDate),
        };
        return Directed<Target>((a, b) => byField(a, b) is var c and not 0 ? c : string.CompareOrdinal(a.Id, b.Id), ascending);
    }

    private static Comparison<ExecutionPage.Item> ExecutionOrder(ExecutionQuery.SortField field, bool ascending)
    {
        Comparison<Execution> byField = field switch
        {
            ExecutionQuery.SortField.Id => static (a, b) => 0,
            ExecutionQuery.SortField.ChangeDate => static (a, b) => a.Details.ChangeDate.CompareTo(b.Details.ChangeDate),
            _ => static (a, b) => a.CreationDate.CompareTo(b.CreationDate),
        };
        return Directed<ExecutionPage.Item>(
            (a, b) => byField(a.Execution, b.Execution) is var c and not 0 ? c : string.CompareOrdinal(a.Execution.Id, b.Execution.Id),
            ascending);
    }

    private static Comparison<T> Directed<T>(Comparison<T> ascending, bool isAscending) =>
        isAscending ? ascending : (a, b) => ascending(b, a);
}
