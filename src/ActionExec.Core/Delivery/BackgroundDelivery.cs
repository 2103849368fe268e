using System.Collections.Immutable;

namespace ActionExec.Delivery;

/// <summary>
/// One unit of background work: one event with all its targets in order, or one async target call. Its
/// <see cref="Id"/> stays the same across retries (sent as <c>webhook-id</c>) so receivers can drop duplicates. Targets are
/// referenced by id and resolved when each attempt is made, so a rotated key or a deleted target takes effect.
/// </summary>
public sealed record BackgroundDelivery
{
    /// <summary>The delivery id, stable across retries.</summary>
    public required string Id { get; init; }

    /// <summary>The tenant whose targets are called.</summary>
    public required string TenantId { get; init; }

    /// <summary>What caused the delivery, for logs and dead letters: an event type or a condition id.</summary>
    public required string Source { get; init; }

    /// <summary>The targets, in order.</summary>
    public required ImmutableArray<string> TargetIds { get; init; }

    /// <summary>The exact payload bytes every target receives.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>When the delivery was created; it is given up when older than the maximum age (counted from <see cref="ReplayedAt"/> once replayed).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The index in <see cref="TargetIds"/> of the next target to call.</summary>
    public int NextTarget { get; init; }

    /// <summary>How many attempts the next target has had so far.</summary>
    public int Attempts { get; init; }

    /// <summary>The status the next target answered its last failed attempt with, if it answered; kept for dead letters.</summary>
    public int? LastStatusCode { get; init; }

    /// <summary>Why the next target's last attempt failed (never a body or a key); <see langword="null"/> before its first failure.</summary>
    public string? LastReason { get; init; }

    /// <summary>The targets given up or abandoned so far, in order: what a replay of the dead letter sends to.</summary>
    public ImmutableArray<string> GivenUpTargetIds { get; init; } = [];

    /// <summary>How many times the delivery was replayed from the history.</summary>
    public int Replays { get; init; }

    /// <summary>When it was last replayed; <see langword="null"/> when never. The maximum age counts from it when set.</summary>
    public DateTimeOffset? ReplayedAt { get; init; }

    /// <summary>When the delivery's age counts from: <see cref="ReplayedAt"/> when it was replayed, otherwise <see cref="CreatedAt"/>.</summary>
    internal DateTimeOffset AgeFrom => ReplayedAt ?? CreatedAt;
}
