using ActionExec.Conditions;

namespace ActionExec.Soak;

/// <summary>A lookup the matching threads make.</summary>
internal sealed record Probe(ConditionKind Kind, string Value);
