using ActionExec.Conditions;
using ActionExec.Errors;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The scope of an event condition: exactly one of <see cref="Event"/>, <see cref="Group"/> or <see cref="All"/>
/// set to <see langword="true"/>.
/// </summary>
internal sealed record EventConditionJson : IConditionScopeJson
{
    /// <summary>An event type, such as <c>user.human.added</c>.</summary>
    public string? Event { get; init; }

    /// <summary>A dotted group, such as <c>user.human</c> (<c>user.human.*</c> is accepted and written without <c>.*</c>).</summary>
    public string? Group { get; init; }

    /// <summary><see langword="true"/> for every event; <see langword="false"/> counts as not given.</summary>
    public bool? All { get; init; }

    internal static EventConditionJson FromModel(Condition condition) => condition.Scope switch
    {
        ConditionScope.Event => new() { Event = condition.Value },
        ConditionScope.Group => new() { Group = condition.Value },
        _ => new() { All = true },
    };

    Condition? IConditionScopeJson.ToModel(ConditionKind kind, string field, ViolationList violations) =>
        ConditionJson.ResolveScope(kind, field, violations, [
            (ConditionScope.Event, Event is not null, Event),
            (ConditionScope.Group, Group is not null, Group),
            (ConditionScope.All, All == true, null),
        ]);
}
