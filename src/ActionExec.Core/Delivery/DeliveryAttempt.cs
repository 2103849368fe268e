namespace ActionExec.Delivery;

/// <summary>One attempt to call one target of a delivery, as the delivery history records it. Holds no key, and no body unless <see cref="DeliveryOptions.RecordBodies"/> is on.</summary>
public sealed record DeliveryAttempt
{
    /// <summary>The delivery id (the <c>webhook-id</c> the attempt carried).</summary>
    public required string DeliveryId { get; init; }

    /// <summary>The tenant whose target it is.</summary>
    public required string TenantId { get; init; }

    /// <summary>What caused the delivery: an event type (<c>event/user.human.added</c>) or a condition id.</summary>
    public required string Source { get; init; }

    /// <summary>The target called.</summary>
    public required string TargetId { get; init; }

    /// <summary>The attempt's number for this target, from 1.</summary>
    public required int Attempt { get; init; }

    /// <summary>When the attempt started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>How it ended.</summary>
    public required DeliveryAttemptOutcome Outcome { get; init; }

    /// <summary>The HTTP status the target answered, if it answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Why the attempt failed (never a body or a key); <see langword="null"/> when it succeeded.</summary>
    public string? Reason { get; init; }

    /// <summary>The target's answer, only when <see cref="DeliveryOptions.RecordBodies"/> is on (cut to its first 4 KiB); otherwise <see langword="null"/>.</summary>
    public string? ResponseBody { get; init; }
}
