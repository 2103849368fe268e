namespace ActionExec.Engine;

/// <summary>One level that matching considered, in the order it considered them.</summary>
/// <param name="ConditionId">The canonical id of the condition at that level.</param>
/// <param name="Exists">Whether the tenant has an execution for it.</param>
public sealed record ExplainedCandidate(string ConditionId, bool Exists);
