using ActionExec.Delivery;
using ActionExec.Errors;

namespace ActionExec.Soak;

/// <summary>The queue the soak runs on (in-memory or PostgreSQL), counting what it took and what it refused: the other side of "nothing is lost".</summary>
internal sealed class CountingDeliveryQueue(IDeliveryQueue inner) : IDeliveryQueue
{
    private long _enqueued;
    private long _rejected;

    public long Enqueued => Interlocked.Read(ref _enqueued);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>The queue counted.</summary>
    public IDeliveryQueue Inner => inner;

    public async ValueTask<bool> EnqueueAsync(BackgroundDelivery delivery, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        bool added;
        try
        {
            added = await inner.EnqueueAsync(delivery, dueAt, cancellationToken);
        }
        catch (ActionExecException e) when (e.Code == ActionExecErrorCode.Unavailable)
        {
            Interlocked.Increment(ref _rejected);
            throw;
        }

        if (added)
        {
            Interlocked.Increment(ref _enqueued);
        }

        return added;
    }

    public ValueTask<IReadOnlyList<DeliveryLease>> LeaseAsync(int maxCount, TimeSpan duration, CancellationToken cancellationToken) => inner.LeaseAsync(maxCount, duration, cancellationToken);

    public ValueTask WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken) => inner.WaitAsync(maxWait, cancellationToken);

    public ValueTask<bool> ExtendLeaseAsync(DeliveryLease lease, TimeSpan duration, CancellationToken cancellationToken) => inner.ExtendLeaseAsync(lease, duration, cancellationToken);

    public ValueTask<bool> CheckpointAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) =>
        inner.CheckpointAsync(lease, progress, attempts, cancellationToken);

    public ValueTask<bool> RescheduleAsync(DeliveryLease lease, BackgroundDelivery progress, DateTimeOffset dueAt, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) =>
        inner.RescheduleAsync(lease, progress, dueAt, attempts, cancellationToken);

    public ValueTask<bool> CompleteAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) =>
        inner.CompleteAsync(lease, progress, attempts, cancellationToken);

    public ValueTask<bool> DeadLetterAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) =>
        inner.DeadLetterAsync(lease, progress, attempts, cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

    public ValueTask<IReadOnlyList<BackgroundDelivery>> CloseAsync(CancellationToken cancellationToken) => inner.CloseAsync(cancellationToken);
}
