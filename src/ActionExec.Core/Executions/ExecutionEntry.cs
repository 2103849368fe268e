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
    /// <param name="targetId">
    /// The target id. It is taken as given, like any other input, and checked with the rest of the list by
    /// <c>SetExecutionAsync</c> (1 to 200 characters, no whitespace or
    /// control characters), so that every problem of a list is reported at once, with its position.
    /// </param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="targetId"/> is null.</exception>
    public static ExecutionEntry ForTarget(string targetId)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        return new(ExecutionEntryKind.Target, targetId, null);
    }

    /// <summary>An include of another execution.</summary>
    /// <param name="condition">The condition of the included execution.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> is null.</exception>
    public static ExecutionEntry ForInclude(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return new(ExecutionEntryKind.Include, null, condition);
    }

    /// <summary>Returns <c>target:&lt;id&gt;</c> or <c>include:&lt;condition id&gt;</c>.</summary>
    /// <returns>A readable form of the entry.</returns>
    public override string ToString() => Kind == ExecutionEntryKind.Target ? "target:" + TargetId : "include:" + Include!.Id;
}
