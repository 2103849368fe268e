namespace ActionExec.Delivery;

/// <summary>A worker's hold on one delivery, from <see cref="IDeliveryQueue.LeaseAsync"/> until it is rescheduled or finished.</summary>
/// <param name="Delivery">The delivery with its progress as last recorded.</param>
/// <param name="LeaseId">Identifies this lease; a later lease of the same delivery has another id, which makes this one lost.</param>
/// <param name="LeasedUntil">When the lease runs out unless extended.</param>
public sealed record DeliveryLease(BackgroundDelivery Delivery, string LeaseId, DateTimeOffset LeasedUntil);
