namespace ActionExec.Delivery;

/// <summary>
/// Where background deliveries wait. The in-memory queue is the default; a durable one can replace it. A queue is bounded:
/// every delivery holds a place from <see cref="EnqueueAsync"/> until <see cref="CompleteAsync"/>, retries included.
/// </summary>
/// <remarks>
/// A delivery handed out by <see cref="DequeueAsync"/> or <see cref="TryDequeueAsync"/> is in flight until it is either
/// rescheduled or completed; exactly one of the two follows every hand-out. Deliveries are identified by
/// <see cref="BackgroundDelivery.Id"/>: the instance passed back may be a copy with more progress.
/// </remarks>
public interface IDeliveryQueue
{
    /// <summary>The number of deliveries in the queue (waiting, scheduled for a retry, or being worked on).</summary>
    int Count { get; }

    /// <summary>Adds a new delivery, due at once, waiting up to the configured time for a place when the queue is full.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the delivery is queued.</returns>
    /// <exception cref="Errors.ActionExecException"><see cref="Errors.ActionExecErrorCode.Unavailable"/> when no place became free in time, or the queue is closed.</exception>
    ValueTask EnqueueAsync(BackgroundDelivery delivery, CancellationToken cancellationToken);

    /// <summary>Waits for the next delivery that is due.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The delivery; it keeps its place until completed or rescheduled.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<BackgroundDelivery> DequeueAsync(CancellationToken cancellationToken);

    /// <summary>Takes the next delivery that is due now, without waiting: what shutdown uses to drain the queue.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The delivery, or <see langword="null"/> when none is due now.</returns>
    ValueTask<BackgroundDelivery?> TryDequeueAsync(CancellationToken cancellationToken);

    /// <summary>Puts a delivery back to be due again at <paramref name="dueAt"/> (a retry); it keeps its place.</summary>
    /// <param name="delivery">The delivery, with its progress.</param>
    /// <param name="dueAt">When it is due.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the delivery is scheduled.</returns>
    ValueTask RescheduleAsync(BackgroundDelivery delivery, DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>Removes a delivery that is done (delivered or given up) and frees its place.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the place is free.</returns>
    ValueTask CompleteAsync(BackgroundDelivery delivery, CancellationToken cancellationToken);

    /// <summary>
    /// Called once when the host shuts down, after the workers stopped: stops accepting deliveries and returns those that
    /// will be lost when the process ends, so they can be reported. An in-memory queue returns everything it still holds;
    /// a durable queue returns nothing, because its deliveries survive the restart.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deliveries that will not be delivered.</returns>
    ValueTask<IReadOnlyList<BackgroundDelivery>> CloseAsync(CancellationToken cancellationToken);
}
