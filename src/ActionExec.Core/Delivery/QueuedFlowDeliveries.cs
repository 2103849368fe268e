using System.Collections.Immutable;
using ActionExec.Dispatch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActionExec.Delivery;

/// <summary>
/// Turns a flow's background work into a <see cref="BackgroundDelivery"/> on the <see cref="IDeliveryQueue"/>. The first delivery
/// queued while the <see cref="DeliveryWorker"/> has not been started is logged as a warning, once: without the worker it waits
/// for ever, and a test or a console application that never ran its host would otherwise see nothing at all.
/// </summary>
/// <remarks>The delivery is due after the first delay of <see cref="DeliveryOptions.RetrySchedule"/>.</remarks>
internal sealed partial class QueuedFlowDeliveries(IDeliveryQueue queue, TimeProvider time, DeliveryWorker worker, IOptions<DeliveryOptions> options, ILogger<QueuedFlowDeliveries> logger) : IFlowDeliveries
{
    private readonly TimeSpan _firstDelay = options.Value.RetrySchedule[0];
    private int _warned;

    public async ValueTask EnqueueAsync(string tenantId, string source, ImmutableArray<string> targetIds, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (worker.ExecuteTask is null && !worker.IsInline && Interlocked.Exchange(ref _warned, 1) == 0)
        {
            LogNoWorker(source);
        }

        var now = time.GetUtcNow();
        await queue.EnqueueAsync(
            new BackgroundDelivery
            {
                Id = Guid.CreateVersion7().ToString("N"),
                TenantId = tenantId,
                Source = source,
                TargetIds = targetIds,
                Payload = payload,
                CreatedAt = now,
            },
            now + _firstDelay,
            cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "A background delivery ({Source}) was queued, but the delivery worker has not been started, so it waits until it is. Run the host (app.Run(), host.StartAsync()), or start the service provider's IHostedService instances; in tests, use the inline delivery of ActionExec.Testing. Logged once.")]
    private partial void LogNoWorker(string source);
}
