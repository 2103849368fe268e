using System.Collections.Concurrent;
using ActionExec.Delivery;

namespace ActionExec.Tests.Delivery;

/// <summary>
/// The in-memory queue, recording the lease extensions and checkpoints the worker asks for, and able to answer that every lease
/// was lost (as a queue does when the lease ran out and another instance took the delivery).
/// </summary>
internal sealed class LeaseWatchingQueue(InMemoryDeliveryQueue inner) : IDeliveryQueue, IDeliveryHistory
{
    private int _extensions;
    private int _ends;
    private int _counts;

    public InMemoryDeliveryQueue Inner => inner;

    /// <summary>When set, every call that takes a lease answers that the lease was lost.</summary>
    public bool LoseLeases { get; set; }

    /// <summary>How many of the next reschedules throw, as a database that cannot be reached does.</summary>
    public int FailingReschedules { get; set; }

    /// <summary>How many of the next checkpoints throw.</summary>
    public int FailingCheckpoints { get; set; }

    public int Extensions => Volatile.Read(ref _extensions);

    /// <summary>How many times the queue was counted.</summary>
    public int Counts => Volatile.Read(ref _counts);

    /// <summary>The deliveries whose lease was extended, in order, one entry per extension.</summary>
    public ConcurrentQueue<string> Extended { get; } = new();

    /// <summary>Calls that end a lease: reschedule, complete, dead letter.</summary>
    public int Ends => Volatile.Read(ref _ends);

    public ConcurrentQueue<BackgroundDelivery> Checkpoints { get; } = new();

    public ValueTask<bool> EnqueueAsync(BackgroundDelivery delivery, DateTimeOffset dueAt, CancellationToken cancellationToken) => inner.EnqueueAsync(delivery, dueAt, cancellationToken);

    public ValueTask<IReadOnlyList<DeliveryLease>> LeaseAsync(int maxCount, TimeSpan duration, CancellationToken cancellationToken) => inner.LeaseAsync(maxCount, duration, cancellationToken);

    public ValueTask WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken) => inner.WaitAsync(maxWait, cancellationToken);

    public async ValueTask<bool> ExtendLeaseAsync(DeliveryLease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        var extended = !LoseLeases && await inner.ExtendLeaseAsync(lease, duration, cancellationToken);
        Extended.Enqueue(lease.Delivery.Id);
        Interlocked.Increment(ref _extensions);
        return extended;
    }

    public ValueTask<bool> CheckpointAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        Checkpoints.Enqueue(progress);
        if (FailingCheckpoints > 0)
        {
            FailingCheckpoints--;
            throw new InvalidOperationException("the queue's database cannot be reached");
        }

        return LoseLeases ? ValueTask.FromResult(false) : inner.CheckpointAsync(lease, progress, attempts, cancellationToken);
    }

    public ValueTask<bool> RescheduleAsync(DeliveryLease lease, BackgroundDelivery progress, DateTimeOffset dueAt, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        if (FailingReschedules > 0)
        {
            FailingReschedules--;
            throw new InvalidOperationException("the queue's database cannot be reached");
        }

        return End(() => inner.RescheduleAsync(lease, progress, dueAt, attempts, cancellationToken));
    }

    public ValueTask<bool> CompleteAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) =>
        End(() => inner.CompleteAsync(lease, progress, attempts, cancellationToken));

    public ValueTask<bool> DeadLetterAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) =>
        End(() => inner.DeadLetterAsync(lease, progress, attempts, cancellationToken));

    public ValueTask<long> CountAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _counts);
        return inner.CountAsync(cancellationToken);
    }

    public ValueTask<IReadOnlyList<BackgroundDelivery>> CloseAsync(CancellationToken cancellationToken) => inner.CloseAsync(cancellationToken);

    public ValueTask<DeliveryPage> QueryAsync(string tenantId, DeliveryQuery query, CancellationToken cancellationToken) => inner.QueryAsync(tenantId, query, cancellationToken);

    public ValueTask<DeliveryRecord?> GetAsync(string tenantId, string deliveryId, CancellationToken cancellationToken) => inner.GetAsync(tenantId, deliveryId, cancellationToken);

    public ValueTask<DeliveryRecord?> ReplayAsync(string tenantId, string deliveryId, CancellationToken cancellationToken) => inner.ReplayAsync(tenantId, deliveryId, cancellationToken);

    public ValueTask<int> ReplayDeadLettersAsync(string tenantId, DateTimeOffset since, string? targetId, CancellationToken cancellationToken) =>
        inner.ReplayDeadLettersAsync(tenantId, since, targetId, cancellationToken);

    private ValueTask<bool> End(Func<ValueTask<bool>> end)
    {
        Interlocked.Increment(ref _ends);
        return LoseLeases ? ValueTask.FromResult(false) : end();
    }
}
