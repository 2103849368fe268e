using System.Collections.Immutable;
using ActionExec.Conditions;

namespace ActionExec.Executions;

/// <summary>One condition and its ordered entries, as stored. Immutable.</summary>
public sealed record Execution
{
    private readonly DateTimeOffset _creationDate;

    /// <summary>Creates an execution.</summary>
    /// <param name="condition">When it runs.</param>
    /// <param name="entries">The ordered entries.</param>
    /// <param name="details">The details of its last change.</param>
    public Execution(Condition condition, ImmutableArray<ExecutionEntry> entries, ExecutionDetails details)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(details);
        Condition = condition;
        Entries = entries.IsDefault ? [] : entries;
        Details = details;
    }

    /// <summary>When the execution runs.</summary>
    public Condition Condition { get; }

    /// <summary>The ordered entries: targets and includes.</summary>
    public ImmutableArray<ExecutionEntry> Entries { get; }

    /// <summary>The details of the execution's last change.</summary>
    public ExecutionDetails Details { get; }

    /// <summary>
    /// When the execution was first set; kept by every later change. An execution created without it (as stores written
    /// before it was recorded load theirs) answers the date of its last change.
    /// </summary>
    public DateTimeOffset CreationDate
    {
        get => _creationDate == default ? Details.ChangeDate : _creationDate;
        init => _creationDate = value;
    }

    /// <summary>The canonical id of the execution, which is the id of its condition.</summary>
    public string Id => Condition.Id;

    /// <inheritdoc />
    public bool Equals(Execution? other) =>
        other is not null
        && Condition.Equals(other.Condition)
        && Details.Equals(other.Details)
        && CreationDate.Equals(other.CreationDate)
        && Entries.AsSpan().SequenceEqual(other.Entries.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Condition, Details, Entries.Length);
}
