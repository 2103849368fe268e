using ActionExec.Delivery;
using ActionExec.Errors;

namespace ActionExec.Soak;

/// <summary>The in-memory queue, counting what it took and what it refused: the other side of "nothing is lost".</summary>
internal sealed class CountingDeliveryQueue(InMemoryDeliveryQueue inner) : IDeliveryQueue
{
    private long _enqueued;
    private long _rejected;

    public long Enqueued => Interlocked.Read(ref _enqueued);

    public long Rejected => Interlocked.Read(ref _rejected);

    public int Count => inner.Count;

    public async ValueTask EnqueueAsync(BackgroundDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await inner.EnqueueAsync(delivery, cancellationToken);
        }
        catch (ActionExecException e) when (e.Code == ActionExecErrorCode.Unavailable)
        {
            Interlocked.Increment(ref _rejected);
            throw;
        }

        Interlocked.Increment(ref _enqueued);
    }

    public ValueTask<BackgroundDelivery> DequeueAsync(CancellationToken cancellationToken) => inner.DequeueAsync(cancellationToken);

    public ValueTask<BackgroundDelivery?> TryDequeueAsync(CancellationToken cancellationToken) => inner.TryDequeueAsync(cancellationToken);

    public ValueTask RescheduleAsync(BackgroundDelivery delivery, DateTimeOffset dueAt, CancellationToken cancellationToken) => inner.RescheduleAsync(delivery, dueAt, cancellationToken);

    public ValueTask CompleteAsync(BackgroundDelivery delivery, CancellationToken cancellationToken) => inner.CompleteAsync(delivery, cancellationToken);

    public ValueTask<IReadOnlyList<BackgroundDelivery>> CloseAsync(CancellationToken cancellationToken) => inner.CloseAsync(cancellationToken);
}
