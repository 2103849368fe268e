using ActionExec.Conditions;

namespace ActionExec.Executions;

/// <summary>
/// One entry of an execution: a reference to a target (<c>{"target": "id"}</c>, or a plain string) or an
/// include of another execution (<c>{"include": {condition}}</c>). Immutable; equal when kind and reference are equal.
/// </summary>
public sealed record ExecutionEntry
{
    private ExecutionEntry(ExecutionEntryKind kind, string? targetId, Condition? include)
    {
        Kind = kind;
        TargetId = targetId;
        Include = include;
    }

    /// <summary>What the entry refers to.</summary>
    public ExecutionEntryKind Kind { get; }

    /// <summary>The target id of a <see cref="ExecutionEntryKind.Target"/> entry; otherwise <see langword="null"/>.</summary>
    public string? TargetId { get; }

    /// <summary>The included execution's condition of an <see cref="ExecutionEntryKind.Include"/> entry; otherwise <see langword="null"/>.</summary>
    public Condition? Include { get; }

    /// <summary>A reference to a target.</summary>
    /// <param name="targetId">The target id.</param>
    /// <returns>The entry.</returns>
    public static ExecutionEntry ForTarget(string targetId)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetId);
        return new(ExecutionEntryKind.Target, targetId, null);
    }

    /// <summary>An include of another execution.</summary>
    /// <param name="condition">The condition of the included execution.</param>
    /// <returns>The entry.</returns>
    public static ExecutionEntry ForInclude(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return new(ExecutionEntryKind.Include, null, condition);
    }

    /// <summary>Returns <c>target:&lt;id&gt;</c> or <c>include:&lt;condition id&gt;</c>.</summary>
    /// <returns>A readable form of the entry.</returns>
    public override string ToString() => Kind == ExecutionEntryKind.Target ? "target:" + TargetId : "include:" + Include!.Id;
}
