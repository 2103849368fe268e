using System.Collections.Immutable;

namespace ActionExec.Dispatch;

/// <summary>
/// Where a flow hands work to background delivery: an event's targets, or one async target. Declared here and implemented
/// by the delivery side, so dispatch does not depend on how deliveries are queued and worked off.
/// </summary>
internal interface IFlowDeliveries
{
    /// <summary>Queues one delivery of <paramref name="payload"/> to <paramref name="targetIds"/>, in order.</summary>
    /// <param name="tenantId">The tenant whose targets are called.</param>
    /// <param name="source">What caused it, for logs and dead letters: an event type or a condition id.</param>
    /// <param name="targetIds">The targets, in order.</param>
    /// <param name="payload">The exact payload bytes every target receives.</param>
    /// <param name="cancellationToken">Cancels the wait for a place in the queue.</param>
    /// <returns>A task that completes when the delivery is queued.</returns>
    ValueTask EnqueueAsync(string tenantId, string source, ImmutableArray<string> targetIds, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
