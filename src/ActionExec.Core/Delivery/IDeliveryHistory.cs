namespace ActionExec.Delivery;

/// <summary>
/// The delivery history of the queue: every delivery kept for <see cref="DeliveryOptions.HistoryRetention"/> with its attempts,
/// queried per tenant, and replay. Implemented by every <see cref="IDeliveryQueue"/> the library ships (the in-memory one
/// keeps at most <see cref="DeliveryOptions.HistoryCapacity"/> finished deliveries). Hosts reach it through
/// <see cref="Management.IActionManagement"/>, which checks the caller's permissions.
/// </summary>
public interface IDeliveryHistory
{
    /// <summary>Lists a tenant's deliveries, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="query">The filters and the page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    ValueTask<DeliveryPage> QueryAsync(string tenantId, DeliveryQuery query, CancellationToken cancellationToken);

    /// <summary>Gets one of a tenant's deliveries with its attempts.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record, or <see langword="null"/> when the tenant has no such delivery (or it is past retention).</returns>
    ValueTask<DeliveryRecord?> GetAsync(string tenantId, string deliveryId, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers a finished delivery again, with the same id: a dead letter to the targets it gave up or abandoned, a delivered one
    /// to all its targets. It becomes <see cref="DeliveryStatus.Pending"/>, due now, with fresh attempts and age.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record as it now stands, or <see langword="null"/> when the tenant has no such delivery.</returns>
    /// <exception cref="Errors.ActionExecException"><see cref="Errors.ActionExecErrorCode.FailedPrecondition"/> when the delivery is still pending.</exception>
    ValueTask<DeliveryRecord?> ReplayAsync(string tenantId, string deliveryId, CancellationToken cancellationToken);

    /// <summary>Replays every dead letter of a tenant created at or after <paramref name="since"/>, optionally only those that gave up <paramref name="targetId"/>.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="since">The earliest creation time.</param>
    /// <param name="targetId">Only dead letters that gave up this target; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many deliveries were replayed.</returns>
    ValueTask<int> ReplayDeadLettersAsync(string tenantId, DateTimeOffset since, string? targetId, CancellationToken cancellationToken);
}
