using ActionExec.Conditions;
using ActionExec.Errors;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The scope of a request or response condition: exactly one of <see cref="Method"/>, <see cref="Service"/> or
/// <see cref="All"/> set to <see langword="true"/>.
/// </summary>
internal sealed record ApiConditionJson : IConditionScopeJson
{
    /// <summary>A gRPC full method, such as <c>/pkg.v1.Service/Method</c>; the leading <c>/</c> may be omitted.</summary>
    public string? Method { get; init; }

    /// <summary>A gRPC service, such as <c>pkg.v1.Service</c>.</summary>
    public string? Service { get; init; }

    /// <summary><see langword="true"/> for every method; <see langword="false"/> counts as not given.</summary>
    public bool? All { get; init; }

    internal static ApiConditionJson FromModel(Condition condition) => condition.Scope switch
    {
        ConditionScope.Method => new() { Method = condition.Value },
        ConditionScope.Service => new() { Service = condition.Value },
        _ => new() { All = true },
    };

    Condition? IConditionScopeJson.ToModel(ConditionKind kind, string field, ViolationList violations) =>
        ConditionJson.ResolveScope(kind, field, violations, [
            (ConditionScope.Method, Method is not null, Method),
            (ConditionScope.Service, Service is not null, Service),
            (ConditionScope.All, All == true, null),
        ]);
}
