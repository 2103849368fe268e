namespace ActionExec.Executions;

/// <summary>What an <see cref="ExecutionEntry"/> refers to.</summary>
public enum ExecutionEntryKind
{
    /// <summary>A target, by id.</summary>
    Target,

    /// <summary>Another execution, by condition, whose flattened entries are included in place.</summary>
    Include,
}
