using ActionExec.Dispatch;
using ActionExec.Errors;

namespace ActionExec.Soak;

/// <summary>
/// Domain events published as fast as the queue takes them, through background delivery: events whose targets answer 200, whose
/// second target keeps answering 500 (retried, then dead-lettered), whose target answers 410 (dead-lettered at once), and events
/// no execution matches (never queued).
/// </summary>
internal sealed class EventLoad(IActionDispatcher dispatcher, FlowContext context, SoakCounters counters)
{
    public const string Delivered = "soak.order.shipped";
    public const string Retried = "soak.order.created";
    public const string Gone = "soak.order.cancelled";
    public const string Unmatched = "soak.order.viewed";

    private static readonly string[] EventTypes = [Delivered, Delivered, Retried, Gone, Unmatched];

    private long _next;

    public Task RunAsync(int publishers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(() => LoopAsync(stop), CancellationToken.None)));

    private async Task LoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            try
            {
                await dispatcher.PublishEventAsync(
                    context,
                    new ActionEvent
                    {
                        EventType = EventTypes[n % EventTypes.Length],
                        AggregateId = "order-" + n,
                        AggregateType = "order",
                        Sequence = (ulong)n,
                        CreatedAt = DateTimeOffset.UtcNow,
                        Payload = """{"total":42}"""u8.ToArray(),
                    },
                    CancellationToken.None);
            }
            catch (ActionExecException e) when (e.Code == ActionExecErrorCode.Unavailable)
            {
                counters.AddRefusedByQueue();
            }
            catch (Exception e)
            {
                counters.AddUnhandled($"event {n}: {e.GetType().Name}: {e.Message}");
            }

            // A publisher is a host writing events: it yields between them rather than spin on one thread.
            await Task.Yield();
        }
    }
}
