namespace ActionExec.Delivery;

/// <summary>Why background delivery gave up on a target.</summary>
public enum DeadLetterReason
{
    /// <summary>The target failed in a way that is never retried: 410 or another 4xx, a denied endpoint, an answer that is too large, a forwarded error, no invoker for its scheme.</summary>
    FinalFailure,

    /// <summary>Every attempt of <see cref="DeliveryOptions.RetrySchedule"/> failed.</summary>
    RetriesExhausted,

    /// <summary>The delivery was older than <see cref="DeliveryOptions.MaxAge"/>, or its next attempt would have been.</summary>
    Expired,

    /// <summary>The host shut down before the delivery could be finished within <see cref="DeliveryOptions.DrainTimeout"/>.</summary>
    Shutdown,

    /// <summary>
    /// The queue failed when asked to keep the delivery for a retry. Not reported by the lease-based worker: a delivery the queue
    /// could not take back becomes due again when its lease runs out, so it is not lost. Kept for observers written against it.
    /// </summary>
    QueueFailure,
}
