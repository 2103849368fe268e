using ActionExec.Conditions;
using ActionExec.Errors;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The part of a <see cref="ConditionJson"/> under one kind, which names the scope and its value.</summary>
internal interface IConditionScopeJson
{
    /// <summary>Creates the condition, adding every violation under <paramref name="field"/> (the path of this part).</summary>
    Condition? ToModel(ConditionKind kind, string field, ViolationList violations);
}
