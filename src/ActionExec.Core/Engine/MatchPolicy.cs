namespace ActionExec.Engine;

/// <summary>Which executions run when several conditions match one call.</summary>
public enum MatchPolicy
{
    /// <summary>
    /// Only the single best match runs (ZITADEL semantics): exact method, else its service, else all; exact event,
    /// else the longest group, else all; exact function.
    /// </summary>
    BestMatch,

    /// <summary>
    /// Every matching level runs, general to specific (all, service, method; all, groups from the shortest, event),
    /// as one flattened list in which a target keeps its first position only.
    /// </summary>
    Cascade,
}
