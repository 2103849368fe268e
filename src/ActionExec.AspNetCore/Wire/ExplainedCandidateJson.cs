using ActionExec.Engine;

namespace ActionExec.AspNetCore.Wire;

/// <summary>One level that matching considered: <c>{"conditionId": "request/pkg.v1.Service", "exists": true}</c>.</summary>
internal sealed record ExplainedCandidateJson
{
    /// <summary>The canonical id of the condition at that level.</summary>
    public string? ConditionId { get; init; }

    /// <summary>Whether the tenant has an execution for it.</summary>
    public bool Exists { get; init; }

    internal static ExplainedCandidateJson FromModel(ExplainedCandidate candidate) =>
        new() { ConditionId = candidate.ConditionId, Exists = candidate.Exists };
}
