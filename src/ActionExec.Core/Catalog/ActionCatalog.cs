using System.Collections.Frozen;
using System.Collections.Immutable;
using ActionExec.Conditions;

namespace ActionExec.Catalog;

/// <summary>
/// What exists in the host: its methods (services follow from them), event types (groups follow from
/// their dotted prefixes) and function names. A section the host never filled accepts every well-formed
/// condition of its kind; a filled section accepts only what it names. Immutable; build one with
/// <see cref="ActionCatalogBuilder"/>.
/// </summary>
internal sealed class ActionCatalog
{
    internal ActionCatalog(ImmutableArray<string>? methods, ImmutableArray<string>? eventTypes, ImmutableArray<string>? functions)
    {
        if (methods is { } m)
        {
            Methods = m;
            _methods = m.ToFrozenSet(StringComparer.Ordinal);
            _services = m.Select(CatalogMethods.ServiceOf).ToFrozenSet(StringComparer.Ordinal);
            _methodPaths = CatalogMethods.PathsOf(m);
        }

        if (eventTypes is { } e)
        {
            EventTypes = e;
            _events = e.ToFrozenSet(StringComparer.Ordinal);
            _eventTypes = _events.GetAlternateLookup<ReadOnlySpan<char>>();
            _groups = e.SelectMany(GroupsOf).ToFrozenSet(StringComparer.Ordinal);
        }

        if (functions is { } f)
        {
            Functions = f;
            _functions = f.ToFrozenSet(StringComparer.Ordinal);
            _functionNames = _functions.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    /// <summary>The same sections as <paramref name="catalog"/>, with the methods of <paramref name="declared"/> joining its methods.</summary>
    private ActionCatalog(ActionCatalog catalog, ICatalogMethodSource declared)
    {
        Methods = catalog.Methods;
        EventTypes = catalog.EventTypes;
        Functions = catalog.Functions;
        _methods = catalog._methods;
        _services = catalog._services;
        _events = catalog._events;
        _groups = catalog._groups;
        _functions = catalog._functions;
        _methodPaths = catalog._methodPaths;
        _eventTypes = catalog._eventTypes;
        _functionNames = catalog._functionNames;
        _declared = declared;
    }

    private readonly FrozenSet<string>? _methods;
    private readonly FrozenSet<string>? _services;
    private readonly FrozenSet<string>? _events;
    private readonly FrozenSet<string>? _groups;
    private readonly FrozenSet<string>? _functions;
    private readonly ICatalogMethodSource? _declared;

    // The lookups a flow makes with the name it was given, without a string of its own: methods without their leading '/'.
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>>? _methodPaths;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>>? _eventTypes;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>>? _functionNames;

    /// <summary>A catalog with no section filled: every well-formed condition exists.</summary>
    public static ActionCatalog Unrestricted { get; } = new(null, null, null);

    /// <summary>
    /// The registered methods, or <see langword="null"/> when methods are not restricted. Methods of endpoints marked with
    /// <c>WithExecutionMethod</c> are not listed here; <see cref="Contains"/> accepts them as well when methods are restricted.
    /// </summary>
    public ImmutableArray<string>? Methods { get; }

    /// <summary>
    /// Every method a method condition may name now, as the catalog's discovery lists them: the registered methods and the declared
    /// ones (endpoints marked with <c>WithExecutionMethod</c>, the methods of mapped gRPC services), possibly repeated;
    /// <see langword="null"/> when methods are not restricted.
    /// </summary>
    internal IEnumerable<string>? KnownMethods => Methods is not { } methods ? null : _declared is null ? methods : methods.Concat(_declared.Current.Methods);

    /// <summary>The registered event types, or <see langword="null"/> when events are not restricted.</summary>
    public ImmutableArray<string>? EventTypes { get; }

    /// <summary>The registered function names, or <see langword="null"/> when functions are not restricted.</summary>
    public ImmutableArray<string>? Functions { get; }

    /// <summary>Whether <paramref name="condition"/> names something that exists.</summary>
    /// <param name="condition">A condition.</param>
    /// <returns><see langword="true"/> when the condition's section is unrestricted or names a registered method, service, event, group or function; <c>all</c> conditions always exist.</returns>
    public bool Contains(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return condition.Scope switch
        {
            ConditionScope.All => true,
            ConditionScope.Method => _methods is null
                || _methods.Contains(condition.Value!)
                || (_declared?.Current.Methods.Contains(condition.Value!) ?? false),
            ConditionScope.Service => _services is null
                || _services.Contains(condition.Value!)
                || (_declared?.Current.Services.Contains(condition.Value!) ?? false),
            ConditionScope.Event => _events?.Contains(condition.Value!) ?? true,
            ConditionScope.Group => _groups?.Contains(condition.Value!) ?? true,
            ConditionScope.Function => _functions?.Contains(condition.Value!) ?? true,
            _ => false,
        };
    }

    /// <summary>
    /// This catalog with the methods of <paramref name="declared"/> joining its methods section; the same catalog when there is no
    /// source or the section is unrestricted (joining would restrict what the host left open).
    /// </summary>
    internal ActionCatalog Joining(ICatalogMethodSource? declared) =>
        declared is null || _methods is null ? this : new ActionCatalog(this, declared);

    /// <summary>
    /// Whether a flow's name is known: a full method (the leading <c>/</c> optional) for requests and responses, an event type,
    /// or a function name. A section the host never filled knows every name. Allocates nothing.
    /// </summary>
    internal bool Knows(ConditionKind kind, ReadOnlySpan<char> name) => kind switch
    {
        ConditionKind.Request or ConditionKind.Response => KnowsMethod(!name.IsEmpty && name[0] == '/' ? name[1..] : name),
        ConditionKind.Event => _eventTypes is not { } events || events.Contains(name),
        ConditionKind.Function => _functionNames is not { } functions || functions.Contains(name),
        _ => true,
    };

    private bool KnowsMethod(ReadOnlySpan<char> path) =>
        _methodPaths is not { } methods
        || methods.Contains(path)
        || (_declared is { } declared && declared.Current.Paths.Contains(path));

    /// <summary>Says why <paramref name="condition"/> is not in the catalog and what to do about it.</summary>
    internal string DescribeMissing(Condition condition)
    {
        var (what, register) = condition.Scope switch
        {
            ConditionScope.Method => ($"method '{condition.Value}'", "register the method in the catalog"),
            ConditionScope.Service => ($"service '{condition.Value}'", "register a method of that service in the catalog"),
            ConditionScope.Event => ($"event type '{condition.Value}'", "register the event type in the catalog"),
            ConditionScope.Group => ($"event group '{condition.Value}'", "register an event type below that group in the catalog"),
            _ => ($"function '{condition.Value}'", "register the function in the catalog"),
        };
        return $"condition does not exist: the {what} is not known to this host; check the spelling or {register}.";
    }

    /// <summary>The proper dotted prefixes of an event type: <c>user.human.added</c> gives <c>user.human</c> and <c>user</c>.</summary>
    internal static IEnumerable<string> GroupsOf(string eventType)
    {
        for (var i = eventType.LastIndexOf('.'); i > 0; i = eventType.LastIndexOf('.', i - 1))
        {
            yield return eventType[..i];
        }
    }
}
