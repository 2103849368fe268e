using System.Collections.Immutable;
using ActionExec.Conditions;

namespace ActionExec.Management;

/// <summary>
/// A search of a tenant's executions (ZITADEL's <c>ListExecutionsRequest</c>): filters that must all match, a sort field and a page.
/// </summary>
public sealed record ExecutionQuery
{
    /// <summary>The page size when <see cref="Limit"/> is 0.</summary>
    public const int DefaultLimit = TargetQuery.DefaultLimit;

    /// <summary>The largest page size; a larger <see cref="Limit"/> is refused.</summary>
    public const int MaxLimit = TargetQuery.MaxLimit;

    /// <summary>The field an execution search is sorted by (ZITADEL's <c>ExecutionFieldName</c>); ties are broken by id.</summary>
    public enum SortField
    {
        /// <summary>When the execution was first set (the default).</summary>
        CreationDate,

        /// <summary>The execution id, which is its condition's canonical id (ordinal).</summary>
        Id,

        /// <summary>When the execution was last changed.</summary>
        ChangeDate,
    }

    /// <summary>The filters; an execution is listed when it matches every one. Empty lists every execution.</summary>
    public ImmutableArray<Filter> Filters { get; init; } = [];

    /// <summary>The field the executions are sorted by.</summary>
    public SortField SortingColumn { get; init; } = SortField.CreationDate;

    /// <summary>Whether the order is ascending; descending by default, as ZITADEL's pagination has it.</summary>
    public bool Ascending { get; init; }

    /// <summary>How many matching executions to skip; not negative.</summary>
    public long Offset { get; init; }

    /// <summary>The page size, up to <see cref="MaxLimit"/>; 0 means <see cref="DefaultLimit"/>.</summary>
    public int Limit { get; init; }

    /// <summary>One criterion of an execution search (ZITADEL's <c>ExecutionSearchFilter</c>): conditions, an execution type or a target.</summary>
    public sealed record Filter
    {
        private Filter(ImmutableArray<Condition> conditions, ConditionKind? kind, string? targetId)
        {
            Conditions = conditions;
            ExecutionType = kind;
            TargetId = targetId;
        }

        /// <summary>The conditions of an in-conditions filter (an execution matches when its condition is one of them; none matches none); otherwise default.</summary>
        public ImmutableArray<Condition> Conditions { get; }

        /// <summary>The kind of a type filter; otherwise <see langword="null"/>.</summary>
        public ConditionKind? ExecutionType { get; }

        /// <summary>The target id of a target filter; otherwise <see langword="null"/>.</summary>
        public string? TargetId { get; }

        /// <summary>Matches executions whose condition is one of <paramref name="conditions"/> exactly (ZITADEL's <c>inConditionsFilter</c>).</summary>
        /// <param name="conditions">The conditions; an empty list matches no execution.</param>
        /// <returns>The filter.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="conditions"/> or one of them is null.</exception>
        public static Filter InConditions(IEnumerable<Condition> conditions)
        {
            ArgumentNullException.ThrowIfNull(conditions);
            ImmutableArray<Condition> list = [.. conditions];
            foreach (var condition in list)
            {
                ArgumentNullException.ThrowIfNull(condition, nameof(conditions));
            }

            return new(list, null, null);
        }

        /// <summary>Matches executions of one kind: request, response, function or event (ZITADEL's <c>executionTypeFilter</c>).</summary>
        /// <param name="kind">The kind.</param>
        /// <returns>The filter.</returns>
        public static Filter OfType(ConditionKind kind) => new(default, kind, null);

        /// <summary>
        /// Matches executions that call the target (ZITADEL's <c>targetFilter</c>): the target is among the execution's flattened
        /// targets, whether listed directly or reached through an include.
        /// </summary>
        /// <param name="targetId">The target id.</param>
        /// <returns>The filter.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="targetId"/> is null.</exception>
        public static Filter ByTarget(string targetId)
        {
            ArgumentNullException.ThrowIfNull(targetId);
            return new(default, null, targetId);
        }

        /// <inheritdoc />
        public bool Equals(Filter? other) =>
            other is not null
            && ExecutionType == other.ExecutionType
            && string.Equals(TargetId, other.TargetId, StringComparison.Ordinal)
            && Conditions.IsDefault == other.Conditions.IsDefault
            && (Conditions.IsDefault || Conditions.AsSpan().SequenceEqual(other.Conditions.AsSpan()));

        /// <inheritdoc />
        public override int GetHashCode() => HashCode.Combine(ExecutionType, TargetId, Conditions.IsDefault ? -1 : Conditions.Length);
    }
}
