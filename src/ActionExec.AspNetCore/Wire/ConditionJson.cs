using ActionExec.Conditions;
using ActionExec.Errors;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// A condition in the wire format: exactly one kind, and under it exactly one scope, for example
/// <c>{"request": {"method": "/pkg.v1.Service/Method"}}</c>, <c>{"function": {"name": "preuserinfo"}}</c> or
/// <c>{"event": {"group": "user.human"}}</c>.
/// </summary>
internal sealed record ConditionJson
{
    /// <summary>A request condition: a method, a service or all requests.</summary>
    public ApiConditionJson? Request { get; init; }

    /// <summary>A response condition: a method, a service or all responses.</summary>
    public ApiConditionJson? Response { get; init; }

    /// <summary>A function condition.</summary>
    public FunctionConditionJson? Function { get; init; }

    /// <summary>An event condition: an event type, a group or all events.</summary>
    public EventConditionJson? Event { get; init; }

    /// <summary>The canonical wire form of <paramref name="condition"/> (a method with its leading <c>/</c>, a group without <c>.*</c>).</summary>
    internal static ConditionJson FromModel(Condition condition) => condition.Kind switch
    {
        ConditionKind.Request => new() { Request = ApiConditionJson.FromModel(condition) },
        ConditionKind.Response => new() { Response = ApiConditionJson.FromModel(condition) },
        ConditionKind.Function => new() { Function = new() { Name = condition.Value } },
        _ => new() { Event = EventConditionJson.FromModel(condition) },
    };

    /// <summary>Creates the model condition, adding every violation under <paramref name="field"/>; null when any was found.</summary>
    internal Condition? ToModel(string field, ViolationList violations)
    {
        ReadOnlySpan<(ConditionKind Kind, IConditionScopeJson? Scope)> kinds =
        [
            (ConditionKind.Request, Request),
            (ConditionKind.Response, Response),
            (ConditionKind.Function, Function),
            (ConditionKind.Event, Event),
        ];

        var given = new List<string>(kinds.Length);
        foreach (var (kind, scope) in kinds)
        {
            if (scope is not null)
            {
                given.Add(ConditionRules.Name(kind));
            }
        }

        if (given.Count != 1)
        {
            var found = given.Count == 0 ? "names no kind" : $"names {given.Count} kinds ({string.Join(", ", given)})";
            violations.Add(field, $"The condition {found}; give exactly one of request, response, function or event, such as {{\"request\": {{\"method\": \"/pkg.v1.Service/Method\"}}}}.");
        }

        Condition? condition = null;
        foreach (var (kind, scope) in kinds)
        {
            condition = scope?.ToModel(kind, JsonFailure.Join(field, ConditionRules.Name(kind)), violations) ?? condition;
        }

        return given.Count == 1 ? condition : null;
    }

    /// <summary>
    /// Picks the one scope that was given (<c>"all": false</c> counts as not given) and creates the condition with
    /// the model's rules, so the value rules live in <see cref="Condition"/> alone.
    /// </summary>
    internal static Condition? ResolveScope(
        ConditionKind kind,
        string field,
        ViolationList violations,
        ReadOnlySpan<(ConditionScope Scope, bool Given, string? Value)> scopes)
    {
        var names = new List<string>(scopes.Length);
        var given = new List<string>(scopes.Length);
        (ConditionScope Scope, string? Value) chosen = default;
        foreach (var (scope, isGiven, value) in scopes)
        {
            names.Add(Condition.FieldName(scope));
            if (isGiven)
            {
                given.Add(Condition.FieldName(scope));
                chosen = (scope, value);
            }
        }

        if (given.Count == 1)
        {
            var valueField = chosen.Scope == ConditionScope.All ? field : JsonFailure.Join(field, Condition.FieldName(chosen.Scope));
            return Condition.TryCreate(kind, chosen.Scope, chosen.Value, valueField, violations);
        }

        var choice = names.Count == 1
            ? $"give '{names[0]}'"
            : "give exactly one of " + string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1] + (names.Contains("all") ? " (\"all\": true)" : "");
        var found = given.Count == 0 ? "names no scope" : $"names {given.Count} scopes ({string.Join(", ", given)})";
        violations.Add(field, $"The {ConditionRules.Name(kind)} condition {found}; {choice}.");
        return null;
    }
}
