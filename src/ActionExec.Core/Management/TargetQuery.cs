using System.Collections.Immutable;

namespace ActionExec.Management;

/// <summary>
/// A search of a tenant's targets (ZITADEL's <c>ListTargetsRequest</c>): filters that must all match, a sort field and a page.
/// </summary>
public sealed record TargetQuery
{
    /// <summary>The page size when <see cref="Limit"/> is 0.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page size; a larger <see cref="Limit"/> is refused.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The field a target search is sorted by (ZITADEL's <c>TargetFieldName</c>); ties are broken by id.</summary>
    public enum SortField
    {
        /// <summary>When the target was created (the default).</summary>
        CreationDate,

        /// <summary>The target id (ordinal).</summary>
        Id,

        /// <summary>When the target was last changed.</summary>
        ChangeDate,

        /// <summary>The name (ordinal).</summary>
        Name,

        /// <summary>The target type: webhook, call, async.</summary>
        TargetType,

        /// <summary>The endpoint URL (ordinal).</summary>
        Url,

        /// <summary>The timeout.</summary>
        Timeout,

        /// <summary>Whether a failure interrupts the flow: false before true.</summary>
        InterruptOnError,
    }

    /// <summary>The filters; a target is listed when it matches every one. Empty lists every target.</summary>
    public ImmutableArray<Filter> Filters { get; init; } = [];

    /// <summary>The field the targets are sorted by.</summary>
    public SortField SortingColumn { get; init; } = SortField.CreationDate;

    /// <summary>Whether the order is ascending; descending by default, as ZITADEL's pagination has it.</summary>
    public bool Ascending { get; init; }

    /// <summary>How many matching targets to skip; not negative.</summary>
    public long Offset { get; init; }

    /// <summary>The page size, up to <see cref="MaxLimit"/>; 0 means <see cref="DefaultLimit"/>.</summary>
    public int Limit { get; init; }

    /// <summary>One criterion of a target search (ZITADEL's <c>TargetSearchFilter</c>): a name filter or an id filter.</summary>
    public sealed record Filter
    {
        private Filter(string? name, TextFilterMethod method, ImmutableArray<string> ids)
        {
            Name = name;
            Method = method;
            TargetIds = ids;
        }

        /// <summary>The text of a name filter; <see langword="null"/> for an id filter.</summary>
        public string? Name { get; }

        /// <summary>How a name filter compares.</summary>
        public TextFilterMethod Method { get; }

        /// <summary>The ids of an id filter (a target matches when its id is one of them; none matches none); default for a name filter.</summary>
        public ImmutableArray<string> TargetIds { get; }

        /// <summary>Whether this is a name filter.</summary>
        public bool IsNameFilter => Name is not null;

        /// <summary>Matches targets whose name compares to <paramref name="name"/> by <paramref name="method"/> (ZITADEL's <c>targetNameFilter</c>).</summary>
        /// <param name="name">The text; at most 200 characters.</param>
        /// <param name="method">How to compare.</param>
        /// <returns>The filter.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
        public static Filter ByName(string name, TextFilterMethod method = TextFilterMethod.Exact)
        {
            ArgumentNullException.ThrowIfNull(name);
            return new(name, method, default);
        }

        /// <summary>Matches targets whose id is one of <paramref name="targetIds"/> (ZITADEL's <c>inTargetIdsFilter</c>).</summary>
        /// <param name="targetIds">The ids; an empty list matches no target.</param>
        /// <returns>The filter.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="targetIds"/> is null.</exception>
        public static Filter ByIds(IEnumerable<string> targetIds)
        {
            ArgumentNullException.ThrowIfNull(targetIds);
            return new(null, TextFilterMethod.Exact, [.. targetIds]);
        }

        /// <inheritdoc />
        public bool Equals(Filter? other) =>
            other is not null
            && string.Equals(Name, other.Name, StringComparison.Ordinal)
            && Method == other.Method
            && TargetIds.IsDefault == other.TargetIds.IsDefault
            && (TargetIds.IsDefault || TargetIds.AsSpan().SequenceEqual(other.TargetIds.AsSpan()));

        /// <inheritdoc />
        public override int GetHashCode() => HashCode.Combine(Name, Method, TargetIds.IsDefault ? -1 : TargetIds.Length);
    }
}
