using System.Collections.Immutable;
using ActionExec.Dispatch;

namespace ActionExec.Delivery;

/// <summary>Turns a flow's background work into a <see cref="BackgroundDelivery"/> on the <see cref="IDeliveryQueue"/>.</summary>
internal sealed class QueuedFlowDeliveries(IDeliveryQueue queue, TimeProvider time) : IFlowDeliveries
{
    public ValueTask EnqueueAsync(string tenantId, string source, ImmutableArray<string> targetIds, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        queue.EnqueueAsync(
            new BackgroundDelivery
            {
                Id = Guid.CreateVersion7().ToString("N"),
                TenantId = tenantId,
                Source = source,
                TargetIds = targetIds,
                Payload = payload,
                CreatedAt = time.GetUtcNow(),
            },
            cancellationToken);
}
