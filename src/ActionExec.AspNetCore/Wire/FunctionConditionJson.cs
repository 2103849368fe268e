using ActionExec.Conditions;
using ActionExec.Errors;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The scope of a function condition: the function's <see cref="Name"/>.</summary>
internal sealed record FunctionConditionJson : IConditionScopeJson
{
    /// <summary>The function name, such as <c>preuserinfo</c>.</summary>
    public string? Name { get; init; }

    Condition? IConditionScopeJson.ToModel(ConditionKind kind, string field, ViolationList violations) =>
        ConditionJson.ResolveScope(kind, field, violations, [(ConditionScope.Function, Name is not null, Name)]);
}
