using System.Collections.Immutable;
using ActionExec.Dispatch;

namespace ActionExec.Delivery;

/// <summary>
/// Queues a flow's background work as <see cref="QueuedFlowDeliveries"/> does, then delivers everything due before the flow goes
/// on, through the worker's own processing: so a test sees an event's or an async target's calls when the call returns, and a
/// failed attempt is retried on the schedule, when the clock has moved past it and something delivers again.
/// </summary>
internal sealed class InlineFlowDeliveries(QueuedFlowDeliveries queued, DeliveryWorker worker) : IFlowDeliveries
{
    public async ValueTask EnqueueAsync(string tenantId, string source, ImmutableArray<string> targetIds, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await queued.EnqueueAsync(tenantId, source, targetIds, payload, cancellationToken).ConfigureAwait(false);
        await worker.DeliverDueAsync(cancellationToken).ConfigureAwait(false);
    }
}
