using ActionExec.Diagnostics;

namespace ActionExec.Delivery;

/// <summary>
/// Running totals of background delivery since the host started, for the worker's tests and the soak. Every delivery that
/// leaves the queue is counted once, in <see cref="Delivered"/> or in <see cref="DeadLettered"/>. Hosts read the same totals
/// from the meter: <c>actionexec.delivery.finished</c> by outcome and <c>actionexec.delivery.retries</c>. Thread-safe.
/// </summary>
internal sealed class DeliveryStatistics
{
    private long _delivered;
    private long _deadLettered;
    private long _deadLetters;
    private long _retries;
    private long _skippedTargets;

    private readonly ActionExecTelemetry? _telemetry;

    internal DeliveryStatistics(ActionExecTelemetry? telemetry = null)
    {
        _telemetry = telemetry;
    }

    /// <summary>Deliveries finished with every target delivered (targets deleted in the meantime are skipped).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Deliveries finished with at least one target given up.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Dead letters reported: one per target given up, so a delivery may count more than once.</summary>
    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Retries scheduled after a failed attempt.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Targets skipped because they were deleted after the delivery was queued.</summary>
    public long SkippedTargets => Interlocked.Read(ref _skippedTargets);

    internal void RecordFinished(bool withDeadLetters)
    {
        Interlocked.Increment(ref withDeadLetters ? ref _deadLettered : ref _delivered);
        _telemetry?.RecordDeliveryFinished(withDeadLetters);
    }

    internal void RecordDeadLetter() => Interlocked.Increment(ref _deadLetters);

    internal void RecordRetry()
    {
        Interlocked.Increment(ref _retries);
        _telemetry?.RecordRetry();
    }

    internal void RecordSkippedTarget() => Interlocked.Increment(ref _skippedTargets);
}
