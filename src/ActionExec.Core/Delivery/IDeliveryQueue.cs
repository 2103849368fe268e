namespace ActionExec.Delivery;

/// <summary>
/// Where background deliveries wait and how workers take them: a contract a database can honour, so the deliveries survive a
/// crash and workers on several instances share them. The in-memory queue is the embedded default; <c>ActionExec.PostgreSql</c>
/// provides a durable one. Delivery is at-least-once: a delivery whose lease runs out (its instance died) becomes due again for
/// any worker, and receivers drop a duplicate by its stable <c>webhook-id</c> (<see cref="BackgroundDelivery.Id"/>).
/// </summary>
/// <remarks>
/// <para>
/// A worker leases due deliveries (<see cref="LeaseAsync"/>), extends the lease while it works on one
/// (<see cref="ExtendLeaseAsync"/>), records progress after each target (<see cref="CheckpointAsync"/>), and ends the lease with
/// exactly one of <see cref="RescheduleAsync"/>, <see cref="CompleteAsync"/> or <see cref="DeadLetterAsync"/>. Every call that
/// takes a <see cref="DeliveryLease"/> answers <see langword="false"/>, changing nothing, when that lease is no longer the
/// delivery's current one (it ran out and another worker leased the delivery, or the delivery finished): the worker then stops
/// working on it.
/// </para>
/// <para>
/// The attempts passed to the calls that take a lease are recorded in the delivery's history together with the state change,
/// so the history never disagrees with the queue.
/// </para>
/// </remarks>
public interface IDeliveryQueue
{
    /// <summary>
    /// Adds a delivery, due at <paramref name="dueAt"/>. Idempotent by <see cref="BackgroundDelivery.Id"/>: a delivery whose id
    /// the queue already holds (waiting, leased or finished and still retained) is left as it is.
    /// </summary>
    /// <param name="delivery">The delivery, with no progress.</param>
    /// <param name="dueAt">When its first attempt is due.</param>
    /// <param name="cancellationToken">Cancels the call (and a bounded queue's wait for a place).</param>
    /// <returns><see langword="true"/> when the delivery was added; <see langword="false"/> when its id was already known.</returns>
    /// <exception cref="Errors.ActionExecException"><see cref="Errors.ActionExecErrorCode.Unavailable"/> when a bounded queue had no place in time, or the queue is closed.</exception>
    ValueTask<bool> EnqueueAsync(BackgroundDelivery delivery, DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="maxCount"/> deliveries that are due now (due time reached, or the previous lease ran out),
    /// earliest due first, each for <paramref name="duration"/>. A leased delivery is not handed to anyone else until its
    /// lease ends or runs out. Never waits: answers an empty list when nothing is due.
    /// </summary>
    /// <param name="maxCount">The most deliveries to lease; at least 1.</param>
    /// <param name="duration">How long each lease lasts unless extended; greater than zero.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The leases, each with the delivery and its progress.</returns>
    ValueTask<IReadOnlyList<DeliveryLease>> LeaseAsync(int maxCount, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until a delivery may be due: one was added or rescheduled (by this instance or, for a shared queue, another), the
    /// earliest known due time or lease end came, or <paramref name="maxWait"/> passed. May return early; a worker leases after
    /// it returns and waits again when nothing was due.
    /// </summary>
    /// <param name="maxWait">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when it is worth leasing.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>Extends a lease to <paramref name="duration"/> from now, while its delivery is being worked on.</summary>
    /// <param name="lease">The lease; its <see cref="DeliveryLease.LeasedUntil"/> is not changed, the queue keeps the new end.</param>
    /// <param name="duration">The new length from now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lease was lost.</returns>
    ValueTask<bool> ExtendLeaseAsync(DeliveryLease lease, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// Records a delivery's progress while it keeps its lease: after each target of an event delivery, so a crash does not send
    /// again to the targets already done.
    /// </summary>
    /// <param name="lease">The lease.</param>
    /// <param name="progress">The delivery with its progress (same id).</param>
    /// <param name="attempts">The attempts made since the last call for this lease, in order; recorded in the history.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lease was lost.</returns>
    ValueTask<bool> CheckpointAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken);

    /// <summary>Ends a lease and makes the delivery due again at <paramref name="dueAt"/>: a retry, or work handed back at shutdown.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="progress">The delivery with its progress (same id).</param>
    /// <param name="dueAt">When it is due again.</param>
    /// <param name="attempts">The attempts made since the last call for this lease, in order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lease was lost.</returns>
    ValueTask<bool> RescheduleAsync(DeliveryLease lease, BackgroundDelivery progress, DateTimeOffset dueAt, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken);

    /// <summary>Ends a lease and finishes the delivery as <see cref="DeliveryStatus.Delivered"/>: every target it still had reached (or deleted meanwhile).</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="progress">The delivery with its final progress (same id).</param>
    /// <param name="attempts">The attempts made since the last call for this lease, in order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lease was lost.</returns>
    ValueTask<bool> CompleteAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a lease and finishes the delivery as <see cref="DeliveryStatus.DeadLettered"/>: at least one target was given up
    /// (<see cref="BackgroundDelivery.GivenUpTargetIds"/>). The delivery is kept, with its payload, for the retention time so it
    /// can be replayed.
    /// </summary>
    /// <param name="lease">The lease.</param>
    /// <param name="progress">The delivery with its final progress (same id).</param>
    /// <param name="attempts">The attempts made since the last call for this lease, in order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lease was lost.</returns>
    ValueTask<bool> DeadLetterAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken);

    /// <summary>The number of unfinished deliveries (waiting, scheduled for a retry, or leased), for the queue-length gauge.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    ValueTask<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Called once when the host shuts down, after the workers stopped: stops accepting deliveries and returns those that will be
    /// lost when the process ends, so they can be reported. An in-memory queue returns every unfinished delivery it holds; a
    /// durable queue returns nothing, because its deliveries survive the restart.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deliveries that will not be delivered.</returns>
    ValueTask<IReadOnlyList<BackgroundDelivery>> CloseAsync(CancellationToken cancellationToken);
}
