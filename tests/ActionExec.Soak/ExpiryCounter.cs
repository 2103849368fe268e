using System.Collections.Concurrent;
using ActionExec.Delivery;

namespace ActionExec.Soak;

/// <summary>
/// Counts the deliveries given up because they grew older than the maximum age: a queue slower than the publishers shows here,
/// not as loss, since an expired delivery is a dead letter with its reason.
/// </summary>
internal sealed class ExpiryCounter : IDeadLetterObserver
{
    private readonly ConcurrentDictionary<string, bool> _expired = new(StringComparer.Ordinal);

    public long Expired => _expired.Count;

    public ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        if (deadLetter.Reason == DeadLetterReason.Expired)
        {
            _expired.TryAdd(deadLetter.DeliveryId, true);
        }

        return ValueTask.CompletedTask;
    }
}
