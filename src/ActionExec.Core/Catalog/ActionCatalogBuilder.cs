using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Errors;

namespace ActionExec.Catalog;

/// <summary>
/// Lists what exists in the host (methods, event types, functions), for <c>AddCatalog</c>: with a section filled, conditions
/// naming something not in it are rejected. Values are validated as condition values when the host starts, every violation listed.
/// </summary>
public sealed class ActionCatalogBuilder
{
    private List<string>? _methods;
    private List<string>? _events;
    private List<string>? _functions;

    /// <summary>Registers full methods, such as <c>/pkg.v1.Service/Method</c>; their services become known too.</summary>
    /// <param name="methods">The methods; the leading <c>/</c> may be omitted.</param>
    /// <returns>This builder.</returns>
    public ActionCatalogBuilder AddMethods(params IEnumerable<string> methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        (_methods ??= []).AddRange(methods);
        return this;
    }

    /// <summary>Registers event types, such as <c>user.human.added</c>; their dotted prefixes become known groups.</summary>
    /// <param name="eventTypes">The event types.</param>
    /// <returns>This builder.</returns>
    public ActionCatalogBuilder AddEvents(params IEnumerable<string> eventTypes)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        (_events ??= []).AddRange(eventTypes);
        return this;
    }

    /// <summary>Registers function names, such as <c>preuserinfo</c>.</summary>
    /// <param name="names">The function names.</param>
    /// <returns>This builder.</returns>
    public ActionCatalogBuilder AddFunctions(params IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        (_functions ??= []).AddRange(names);
        return this;
    }

    /// <summary>Validates every registered value and builds the catalog.</summary>
    /// <returns>The catalog.</returns>
    /// <exception cref="ActionExecException">A value is not a valid condition value (<see cref="ActionExecErrorCode.InvalidArgument"/>); every violation is listed.</exception>
    internal ActionCatalog Build()
    {
        var violations = new ViolationList();
        var methods = Normalize(_methods, ConditionKind.Request, ConditionScope.Method, "catalog.methods", violations);
        var events = Normalize(_events, ConditionKind.Event, ConditionScope.Event, "catalog.events", violations);
        var functions = Normalize(_functions, ConditionKind.Function, ConditionScope.Function, "catalog.functions", violations);
        violations.ThrowIfAny();
        return new ActionCatalog(methods, events, functions);
    }

    private static ImmutableArray<string>? Normalize(List<string>? values, ConditionKind kind, ConditionScope scope, string field, ViolationList violations)
    {
        if (values is null)
        {
            return null;
        }

        var result = ImmutableArray.CreateBuilder<string>(values.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            var condition = Condition.TryCreate(kind, scope, values[i], $"{field}[{i}]", violations);
            if (condition is not null && seen.Add(condition.Value!))
            {
                result.Add(condition.Value!);
            }
        }

        return result.ToImmutable();
    }
}
