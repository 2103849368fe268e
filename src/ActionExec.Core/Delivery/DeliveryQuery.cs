namespace ActionExec.Delivery;

/// <summary>Filters and a page of the delivery history. Every filter left <see langword="null"/> matches everything.</summary>
public sealed record DeliveryQuery
{
    /// <summary>The most records a page holds.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The page size when none is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Only deliveries with this status.</summary>
    public DeliveryStatus? Status { get; init; }

    /// <summary>Only deliveries that have this target.</summary>
    public string? TargetId { get; init; }

    /// <summary>Only deliveries created at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only deliveries created before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>How many matching records to skip (newest first); not negative.</summary>
    public int Offset { get; init; }

    /// <summary>The page size, from 1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = DefaultLimit;
}
