using System.Collections.Immutable;

namespace ActionExec.Delivery;

/// <summary>One page of the delivery history, newest first.</summary>
/// <param name="Deliveries">The records on the page, without their attempts.</param>
/// <param name="TotalCount">How many records match the filters in all.</param>
public sealed record DeliveryPage(ImmutableArray<DeliveryRecord> Deliveries, long TotalCount);
