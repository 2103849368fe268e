using System.Collections.Immutable;

namespace ActionExec.Delivery;

/// <summary>One delivery as the history shows it: where it stands and, from <see cref="IDeliveryHistory.GetAsync"/>, its attempts.</summary>
public sealed record DeliveryRecord
{
    /// <summary>The delivery id, stable across retries and replays (sent as <c>webhook-id</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>What caused the delivery: an event type or a condition id.</summary>
    public required string Source { get; init; }

    /// <summary>Its targets, in order.</summary>
    public required ImmutableArray<string> TargetIds { get; init; }

    /// <summary>Where it stands.</summary>
    public required DeliveryStatus Status { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed: an attempt, a retry scheduled, finished or replayed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When its next attempt is due, while it is <see cref="DeliveryStatus.Pending"/>.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The targets given up or abandoned, when it is <see cref="DeliveryStatus.DeadLettered"/>: what a replay sends to.</summary>
    public ImmutableArray<string> GivenUpTargetIds { get; init; } = [];

    /// <summary>How many times it was replayed.</summary>
    public int Replays { get; init; }

    /// <summary>Its attempts, oldest first: filled by <see cref="IDeliveryHistory.GetAsync"/>, empty in a list.</summary>
    public ImmutableArray<DeliveryAttempt> Attempts { get; init; } = [];

    /// <summary>The payload as text, only when <see cref="DeliveryOptions.RecordBodies"/> is on and from <see cref="IDeliveryHistory.GetAsync"/>.</summary>
    public string? Payload { get; init; }
}
