using System.Collections.Immutable;

namespace ActionExec.Delivery;

/// <summary>A target a background delivery gave up on, as it is reported to logs, metrics and <see cref="IDeadLetterObserver"/>s.</summary>
public sealed record DeadLetter
{
    /// <summary>The delivery id (the <c>webhook-id</c> every attempt carried).</summary>
    public required string DeliveryId { get; init; }

    /// <summary>The tenant whose target it is.</summary>
    public required string TenantId { get; init; }

    /// <summary>What caused the delivery: an event type (<c>event/user.human.added</c>) or a condition id.</summary>
    public required string Source { get; init; }

    /// <summary>The target given up on.</summary>
    public required string TargetId { get; init; }

    /// <summary>Why it was given up.</summary>
    public required DeadLetterReason Reason { get; init; }

    /// <summary>How many attempts the target had; 0 when it was never called (for example at shutdown or when expired before its turn).</summary>
    public int Attempts { get; init; }

    /// <summary>The status the target answered its last attempt with, if it answered.</summary>
    public int? LastStatusCode { get; init; }

    /// <summary>Why the last attempt failed (never a body or a key), if there was one.</summary>
    public string? LastReason { get; init; }

    /// <summary>
    /// The later targets of the same delivery that will not be called because of this give-up: the rest of an event when an
    /// interrupting target failed for good, when the delivery expired, or at shutdown. Empty when delivery goes on.
    /// </summary>
    public ImmutableArray<string> AbandonedTargetIds { get; init; } = [];

    /// <summary>The exact payload bytes the target was sent, so a host can store or replay it. Never log it.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>When the delivery was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was given up.</summary>
    public DateTimeOffset GivenUpAt { get; init; }

    /// <summary>Describes the dead letter without its payload.</summary>
    /// <returns>A readable summary.</returns>
    public override string ToString() =>
        $"Delivery {DeliveryId} ({Source}) gave up on target {TargetId} after {Attempts} attempts: {Reason}.";

    internal static DeadLetter From(BackgroundDelivery delivery, DeadLetterReason reason, bool abandonRest, DateTimeOffset now)
    {
        var index = delivery.NextTarget;
        return new DeadLetter
        {
            DeliveryId = delivery.Id,
            TenantId = delivery.TenantId,
            Source = delivery.Source,
            TargetId = index < delivery.TargetIds.Length ? delivery.TargetIds[index] : "",
            Reason = reason,
            Attempts = delivery.Attempts,
            LastStatusCode = delivery.LastStatusCode,
            LastReason = delivery.LastReason,
            AbandonedTargetIds = abandonRest && index + 1 < delivery.TargetIds.Length ? delivery.TargetIds[(index + 1)..] : [],
            Payload = delivery.Payload,
            CreatedAt = delivery.CreatedAt,
            GivenUpAt = now,
        };
    }
}
