using ActionExec.Conditions;
using ActionExec.Engine;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The answer of the explain API: <c>{"kind": "request", "value": "/pkg.v1.Service/Method", "policy": "bestMatch",
/// "candidates": [{"conditionId", "exists"}], "matched": &lt;condition&gt;, "level": "service", "reason": "…", "cascade": [conditions],
/// "targets": [targets], "unresolvedIncludes": [conditions]}</c>. <c>matched</c> and <c>level</c> are absent when nothing matched;
/// the lists are always present, possibly empty. Targets carry no signing key.
/// </summary>
internal sealed record ExplanationJson
{
    /// <summary>The kind of call: <c>request</c>, <c>response</c>, <c>function</c> or <c>event</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>The value matched: a full method, an event type or a function name.</summary>
    public string? Value { get; init; }

    /// <summary>The match policy in force: <c>bestMatch</c> or <c>cascade</c>.</summary>
    public string? Policy { get; init; }

    /// <summary>The levels considered, most specific first.</summary>
    public IReadOnlyList<ExplainedCandidateJson>? Candidates { get; init; }

    /// <summary>The condition of the execution that matched; absent when none did.</summary>
    public ConditionJson? Matched { get; init; }

    /// <summary>The scope that matched, named as in a condition (<c>method</c>, <c>service</c>, <c>all</c>, <c>name</c>, <c>event</c>, <c>group</c>); absent when nothing matched.</summary>
    public string? Level { get; init; }

    /// <summary>A sentence that says which execution matched and why.</summary>
    public string? Reason { get; init; }

    /// <summary>Under the cascade policy, the conditions whose targets run, general to specific; otherwise the matched condition alone, or empty.</summary>
    public IReadOnlyList<ConditionJson>? Cascade { get; init; }

    /// <summary>The targets that would run, in order; never with a signing key.</summary>
    public IReadOnlyList<TargetJson>? Targets { get; init; }

    /// <summary>Includes that resolved to nothing.</summary>
    public IReadOnlyList<ConditionJson>? UnresolvedIncludes { get; init; }

    internal static ExplanationJson FromModel(ExecutionExplanation explanation) => new()
    {
        Kind = ConditionRules.Name(explanation.Kind),
        Value = explanation.Value,
        Policy = explanation.Policy == MatchPolicy.Cascade ? "cascade" : "bestMatch",
        Candidates = [.. explanation.Candidates.Select(ExplainedCandidateJson.FromModel)],
        Matched = explanation.Matched is { } matched ? ConditionJson.FromModel(matched) : null,
        Level = explanation.Level is { } level ? Condition.FieldName(level) : null,
        Reason = explanation.Reason,
        Cascade = [.. explanation.Cascade.Select(ConditionJson.FromModel)],
        Targets = [.. explanation.Targets.Select(TargetJson.FromModel)],
        UnresolvedIncludes = [.. explanation.UnresolvedIncludes.Select(ConditionJson.FromModel)],
    };
}
