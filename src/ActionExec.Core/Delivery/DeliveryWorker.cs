using System.Collections.Immutable;
using ActionExec.Diagnostics;
using ActionExec.Dispatch;
using ActionExec.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActionExec.Delivery;

/// <summary>
/// Works off the <see cref="IDeliveryQueue"/> in the background, with retries and dead letters, with <see cref="DeliveryOptions.Workers"/> loops.
/// Each delivery's targets are called in order, each resolved afresh so a deleted target is skipped and a rotated key is
/// used. A failed attempt is retried on <see cref="DeliveryOptions.RetrySchedule"/> (later, if <c>Retry-After</c> asks for
/// more) when it is retryable; a target that fails for good, runs out of attempts or outlives
/// <see cref="DeliveryOptions.MaxAge"/> is given up and reported as a <see cref="DeadLetter"/>. When an interrupting target is
/// given up, the rest of its delivery is abandoned; otherwise delivery goes on with the next target.
/// </summary>
/// <remarks>
/// On shutdown the loops stop waiting for new work, finish what they hold and deliver what is due, for up to
/// <see cref="DeliveryOptions.DrainTimeout"/>; then the queue is closed and everything it could not deliver is reported with
/// <see cref="DeadLetterReason.Shutdown"/>. No exception escapes a loop.
/// </remarks>
internal sealed partial class DeliveryWorker : BackgroundService
{
    private const string ShutdownReason = "the attempt was cut short because the host shut down";

    private static readonly TimeSpan QueueFailurePause = TimeSpan.FromSeconds(1);

    private readonly IDeliveryQueue _queue;
    private readonly ActionEngine _engine;
    private readonly TargetCaller _caller;
    private readonly ImmutableArray<IDeadLetterObserver> _observers;
    private readonly TimeProvider _time;
    private readonly ActionExecTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly ImmutableArray<TimeSpan> _schedule;
    private readonly TimeSpan _maxAge;
    private readonly TimeSpan _drainTimeout;
    private readonly int _workers;
    private readonly bool _inline;

    /// <summary>Whether deliveries are worked off inline, by the flow that queued them, rather than by started loops.</summary>
    internal bool IsInline => _inline;

    // Inline delivery works off the queue on the caller's flow, one pass at a time; a target that publishes again from inside a
    // pass leaves its delivery to that pass rather than waiting for itself.
    private readonly SemaphoreSlim _inlinePass = new(1, 1);
    private readonly AsyncLocal<bool> _inInlinePass = new();

    // Cancelled when the drain time is up (or the host stops waiting): what is in flight then goes back to the queue.
    private readonly CancellationTokenSource _abort;
    private int _stopping;

    /// <summary>Creates the worker.</summary>
    /// <param name="queue">The queue to work off.</param>
    /// <param name="engine">Resolves target ids through the tenant's current snapshot.</param>
    /// <param name="caller">Makes and classifies each attempt.</param>
    /// <param name="observers">Told about every dead letter.</param>
    /// <param name="statistics">The running totals this worker adds to.</param>
    /// <param name="options">The delivery options.</param>
    /// <param name="time">The clock for retries, ages and the drain time.</param>
    /// <param name="telemetry">The meter: dead letters and the queue's length.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public DeliveryWorker(
        IDeliveryQueue queue,
        ActionEngine engine,
        TargetCaller caller,
        IEnumerable<IDeadLetterObserver> observers,
        DeliveryStatistics statistics,
        IOptions<DeliveryOptions> options,
        TimeProvider time,
        ActionExecTelemetry telemetry,
        ILogger<DeliveryWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(observers);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(logger);
        var value = options.Value;
        _queue = queue;
        _engine = engine;
        _caller = caller;
        _observers = [.. observers];
        Statistics = statistics;
        _time = time;
        _telemetry = telemetry;
        _logger = logger;
        _schedule = [.. value.RetrySchedule];
        _maxAge = value.MaxAge;
        _drainTimeout = value.DrainTimeout;
        _workers = value.Workers;
        _inline = value.Inline;
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        telemetry.ObserveQueue(() => queue.Count);
    }

    /// <summary>The running totals: deliveries delivered and dead-lettered, dead letters, retries.</summary>
    public DeliveryStatistics Statistics { get; }

    /// <summary>
    /// Stops the worker: the loops take no new work but finish what they hold and deliver what is due, for up to
    /// <see cref="DeliveryOptions.DrainTimeout"/> (less if <paramref name="cancellationToken"/> fires first). Then the queue is
    /// closed and every delivery it could not finish is reported as a dead letter with <see cref="DeadLetterReason.Shutdown"/>.
    /// </summary>
    /// <param name="cancellationToken">Fires when the host stops waiting; the drain ends at once.</param>
    /// <returns>A task that completes when the worker has stopped and reported what it could not deliver.</returns>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (ExecuteTask is null || Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            return;
        }

        LogDraining(_queue.Count, _drainTimeout.TotalSeconds);

        // The base class cancels the stopping token before it first waits, so the loops stop taking work before they can be
        // aborted. Aborted first, a loop would take a due delivery, find the abort requested, put the delivery back due at
        // once and take it again, without end: at once when the host's token has already fired.
        var stopped = base.StopAsync(CancellationToken.None);
        _abort.CancelAfter(_drainTimeout);
        using (cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort))
        {
            // Aborted, a loop only puts back what it holds, which the abort makes quick (every attempt and observer is given
            // the abort token): waiting for that means every delivery is reported before this returns, not after.
            await stopped.ConfigureAwait(false);
        }

        IReadOnlyList<BackgroundDelivery> left;
        try
        {
            left = await _queue.CloseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogQueueFailed(e);
            left = [];
        }

        foreach (var delivery in left)
        {
            await GiveUpAsync(delivery, DeadLetterReason.Shutdown, abandonRest: true, cancellationToken).ConfigureAwait(false);
            Statistics.RecordFinished(withDeadLetters: true);
        }

        LogStopped(left.Count);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _inlinePass.Dispose();
        _abort.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_inline)
        {
            // Deliveries are worked off by the flows that queue them (DeliverDueAsync); loops here would race them for it.
            LogStartedInline();
            return Task.CompletedTask;
        }

        LogStarted(_workers);
        var loops = new Task[_workers];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = Task.Run(() => RunLoopAsync(stoppingToken), CancellationToken.None);
        }

        return Task.WhenAll(loops);
    }

    /// <summary>
    /// Delivers every delivery that is due now, through the same processing as the loops, and returns when none is: what inline
    /// delivery runs after queuing, and after a test moves the clock past a retry. One pass runs at a time; a call from inside a
    /// pass (a target that publishes an event) returns at once, and the running pass takes its delivery too.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for a running pass.</param>
    /// <returns>A task that completes when nothing is due.</returns>
    internal async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        if (_inInlinePass.Value)
        {
            return;
        }

        await _inlinePass.WaitAsync(cancellationToken).ConfigureAwait(false);
        _inInlinePass.Value = true;
        try
        {
            // Once shutdown has given up on the drain, a delivery put back due at once would be taken again without end.
            while (!_abort.IsCancellationRequested && await _queue.TryDequeueAsync(CancellationToken.None).ConfigureAwait(false) is { } delivery)
            {
                await ProcessSafelyAsync(delivery).ConfigureAwait(false);
            }
        }
        finally
        {
            _inInlinePass.Value = false;
            _inlinePass.Release();
        }
    }

    internal static string ReasonName(DeadLetterReason reason) => reason switch
    {
        DeadLetterReason.FinalFailure => "final_failure",
        DeadLetterReason.RetriesExhausted => "retries_exhausted",
        DeadLetterReason.Expired => "expired",
        DeadLetterReason.Shutdown => "shutdown",
        _ => "queue_failure",
    };

    private static BackgroundDelivery NextTargetOf(BackgroundDelivery delivery) =>
        delivery with { NextTarget = delivery.NextTarget + 1, Attempts = 0, LastStatusCode = null, LastReason = null };

    private async Task RunLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            BackgroundDelivery delivery;
            try
            {
                delivery = await _queue.DequeueAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogQueueFailed(e);
                try
                {
                    await Task.Delay(QueueFailurePause, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            await ProcessSafelyAsync(delivery).ConfigureAwait(false);
        }

        // The host is stopping: deliver what is due now, until nothing is or the drain time is up.
        while (!_abort.IsCancellationRequested)
        {
            BackgroundDelivery? delivery;
            try
            {
                delivery = await _queue.TryDequeueAsync(_abort.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (!_abort.IsCancellationRequested)
                {
                    LogQueueFailed(e);
                }

                break;
            }

            if (delivery is null)
            {
                break;
            }

            await ProcessSafelyAsync(delivery).ConfigureAwait(false);
        }
    }

    private async Task ProcessSafelyAsync(BackgroundDelivery delivery)
    {
        try
        {
            await ProcessAsync(delivery).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a failure while handling a failure gets here; the loop must live on.
            LogProcessingFailed(delivery.Id, e);
        }
    }

    private async Task ProcessAsync(BackgroundDelivery delivery)
    {
        var abort = _abort.Token;
        var steps = new DeliverySteps(this, delivery);
        try
        {
            var firstDue = delivery.CreatedAt + _schedule[0];
            if (delivery is { NextTarget: 0, Attempts: 0 } && _time.GetUtcNow() < firstDue)
            {
                await KeepForLaterAsync(delivery, firstDue).ConfigureAwait(false);
                return;
            }

            // The one flow loop, resumed where the delivery stopped; a step that reschedules or abandons the delivery ends it.
            await FlowRunner.RunAsync(steps, delivery.NextTarget, delivery.TargetIds.Length, abort).ConfigureAwait(false);
            if (!steps.Left)
            {
                await FinishAsync(steps.Current).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // The drain time is up: the delivery goes back with its progress, and closing the queue reports it. An attempt cut
            // short may have reached the target, so it counts: a report of no attempts would say the target never saw it.
            var current = steps.Current;
            if (steps.Calling)
            {
                current = current with { Attempts = current.Attempts + 1, LastStatusCode = null, LastReason = ShutdownReason };
            }

            await KeepForLaterAsync(current, _time.GetUtcNow()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Resolving the target or calling it failed unexpectedly (a store that cannot be read, for instance): counted as
            // a failed attempt, so the schedule, the maximum age and the dead-letter report still apply.
            var current = steps.Current;
            LogProcessingFailed(current.Id, e);
            if (current.NextTarget >= current.TargetIds.Length)
            {
                await FinishAsync(current).ConfigureAwait(false);
                return;
            }

            var failed = current with { Attempts = current.Attempts + 1, LastStatusCode = null, LastReason = $"processing the delivery failed: {e.GetType().Name}" };
            var next = await AfterFailureAsync(failed, steps.Target, retryable: true, retryAfter: null).ConfigureAwait(false);
            if (next is not null)
            {
                // Go on later rather than here, where the failure might repeat at once.
                await KeepForLaterAsync(next, _time.GetUtcNow()).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Retries a failed target or gives it up. Returns the delivery to go on with (at its next target), or
    /// <see langword="null"/> when it left this worker: rescheduled, or finished because the rest was abandoned.
    /// </summary>
    private async ValueTask<BackgroundDelivery?> AfterFailureAsync(BackgroundDelivery failed, ResolvedTarget? target, bool retryable, TimeSpan? retryAfter)
    {
        DeadLetterReason reason;
        if (!retryable)
        {
            reason = DeadLetterReason.FinalFailure;
        }
        else if (failed.Attempts >= _schedule.Length)
        {
            reason = DeadLetterReason.RetriesExhausted;
        }
        else
        {
            var delay = _schedule[failed.Attempts];
            if (retryAfter > delay)
            {
                delay = retryAfter.Value;
            }

            var dueAt = _time.GetUtcNow() + delay;
            if (dueAt - failed.CreatedAt <= _maxAge)
            {
                LogRetryScheduled(failed.TargetIds[failed.NextTarget], failed.Id, failed.Source, failed.Attempts, dueAt);
                Statistics.RecordRetry();
                await KeepForLaterAsync(failed, dueAt).ConfigureAwait(false);
                return null;
            }

            reason = DeadLetterReason.Expired;
        }

        var interrupt = target?.Definition.InterruptOnError ?? false;
        await GiveUpAsync(failed, reason, abandonRest: interrupt, _abort.Token).ConfigureAwait(false);
        var next = NextTargetOf(failed) with { GivenUpTargets = failed.GivenUpTargets + 1 };
        if (interrupt)
        {
            await FinishAsync(next).ConfigureAwait(false);
            return null;
        }

        return next;
    }

    /// <summary>Puts a delivery back for later; if the queue refuses, the delivery is reported rather than lost.</summary>
    private async Task KeepForLaterAsync(BackgroundDelivery delivery, DateTimeOffset dueAt)
    {
        try
        {
            await _queue.RescheduleAsync(delivery, dueAt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogQueueFailed(e);
            await GiveUpAsync(delivery, DeadLetterReason.QueueFailure, abandonRest: true, _abort.Token).ConfigureAwait(false);
            Statistics.RecordFinished(withDeadLetters: true);
        }
    }

    private async Task FinishAsync(BackgroundDelivery delivery)
    {
        try
        {
            await _queue.CompleteAsync(delivery, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogQueueFailed(e);
        }

        var withDeadLetters = delivery.GivenUpTargets > 0;
        Statistics.RecordFinished(withDeadLetters);
        if (!withDeadLetters)
        {
            LogDelivered(delivery.Id, delivery.Source, delivery.TargetIds.Length);
        }
    }

    /// <summary>Reports a give-up: log, metric, statistics and every observer. Never throws.</summary>
    private async Task GiveUpAsync(BackgroundDelivery delivery, DeadLetterReason reason, bool abandonRest, CancellationToken cancellationToken)
    {
        var deadLetter = DeadLetter.From(delivery, reason, abandonRest, _time.GetUtcNow());
        var reasonName = ReasonName(reason);
        LogDeadLetter(
            deadLetter.TargetId,
            deadLetter.DeliveryId,
            deadLetter.Source,
            deadLetter.TenantId,
            deadLetter.Attempts,
            reasonName,
            deadLetter.LastReason ?? "none",
            deadLetter.AbandonedTargetIds.Length);
        _telemetry.RecordDeadLetter(reasonName);
        Statistics.RecordDeadLetter();
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnDeadLetterAsync(deadLetter, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogObserverFailed(observer.GetType().Name, deadLetter.DeliveryId, e);
            }
        }
    }

    /// <summary>
    /// One pass over a delivery, as <see cref="FlowRunner"/> steps: each target looked up afresh (a deleted one is skipped, a
    /// rotated key used), every target given the delivery's one payload, an answer merged into nothing. A failed attempt is
    /// retried later or given up here, by the delivery's own rules: a retry, or giving up an interrupting target, ends the pass.
    /// </summary>
    private sealed class DeliverySteps(DeliveryWorker worker, BackgroundDelivery delivery) : IFlowSteps
    {
        /// <summary>The delivery with its progress: its next target, that target's attempts and last failure.</summary>
        public BackgroundDelivery Current { get; private set; } = delivery;

        /// <summary>The target of the current step, once it was found.</summary>
        public ResolvedTarget? Target { get; private set; }

        /// <summary>Whether an attempt is under way (one cut short by the shutdown still counts).</summary>
        public bool Calling { get; private set; }

        /// <summary>Whether the delivery left this worker during the pass: rescheduled, or finished by a give-up.</summary>
        public bool Left { get; private set; }

        public async ValueTask<FlowStep> ResolveAsync(int position, CancellationToken cancellationToken)
        {
            Target = null;
            var current = Current;
            if (worker._time.GetUtcNow() - current.CreatedAt > worker._maxAge)
            {
                // None of the remaining targets can be tried any more: one report covers them all.
                await worker.GiveUpAsync(current, DeadLetterReason.Expired, abandonRest: true, cancellationToken).ConfigureAwait(false);
                await worker.FinishAsync(current with { GivenUpTargets = current.GivenUpTargets + 1 }).ConfigureAwait(false);
                Left = true;
                return FlowStep.End;
            }

            var targetId = current.TargetIds[position];
            var snapshot = await worker._engine.GetSnapshotAsync(current.TenantId, cancellationToken).ConfigureAwait(false);
            if (!snapshot.TryGetResolvedTarget(targetId, out var target))
            {
                worker.LogTargetSkipped(targetId, current.Id, current.Source);
                worker.Statistics.RecordSkippedTarget();
                Current = NextTargetOf(current);
                return FlowStep.Skip;
            }

            cancellationToken.ThrowIfCancellationRequested();
            Target = target;
            return FlowStep.Run(target);
        }

        public ReadOnlyMemory<byte> WritePayload() => Current.Payload;

        public async ValueTask<AttemptOutcome> RunAsync(ResolvedTarget target, int position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            var current = Current;
            Calling = true;
            var attempt = await worker._caller.CallAsync(target, payload, current.Id, current.Attempts + 1, cancellationToken).ConfigureAwait(false);
            Calling = false;
            if (attempt.Succeeded)
            {
                Current = NextTargetOf(current);
                return default;
            }

            current = current with { Attempts = current.Attempts + 1, LastStatusCode = attempt.StatusCode, LastReason = attempt.Reason };
            Current = current;
            var next = await worker.AfterFailureAsync(current, target, attempt.IsRetryable, attempt.RetryAfter).ConfigureAwait(false);
            if (next is null)
            {
                Left = true;
                return AttemptOutcome.End;
            }

            Current = next;
            return default;
        }

        // Every target of a delivery receives the same payload; a call target's answer changes nothing.
        public string? Merge(ResolvedTarget target, ReadOnlyMemory<byte> answer) => null;

        // Never reached: a failed attempt is retried or given up by RunAsync, which ends the pass itself.
        public void Interrupt(int position, TargetAttempt failed)
        {
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Background delivery started with {Workers} workers.")]
    private partial void LogStarted(int workers);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Background delivery runs inline: each flow delivers what it queues before it returns.")]
    private partial void LogStartedInline();

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Delivery {DeliveryId} ({Source}) reached all of its {TargetCount} targets.")]
    private partial void LogDelivered(string deliveryId, string source, int targetCount);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Target {TargetId} of delivery {DeliveryId} ({Source}) failed attempt {Attempt}; the next attempt is due at {DueAt:O}.")]
    private partial void LogRetryScheduled(string targetId, string deliveryId, string source, int attempt, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Target {TargetId} of delivery {DeliveryId} ({Source}) no longer exists; it is skipped.")]
    private partial void LogTargetSkipped(string targetId, string deliveryId, string source);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "Gave up on target {TargetId} of delivery {DeliveryId} ({Source}, tenant {TenantId}) after {Attempts} attempts ({Reason}); last failure: {LastReason}. Later targets abandoned: {AbandonedCount}.")]
    private partial void LogDeadLetter(string targetId, string deliveryId, string source, string tenantId, int attempts, string reason, string lastReason, int abandonedCount);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "The dead-letter observer {Observer} failed for delivery {DeliveryId}; delivery goes on.")]
    private partial void LogObserverFailed(string observer, string deliveryId, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Processing delivery {DeliveryId} failed unexpectedly.")]
    private partial void LogProcessingFailed(string deliveryId, Exception exception);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "The delivery queue failed.")]
    private partial void LogQueueFailed(Exception exception);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Background delivery is stopping with {Count} deliveries in the queue; draining for up to {DrainSeconds} s.")]
    private partial void LogDraining(int count, double drainSeconds);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Background delivery stopped; {Count} deliveries it could not finish were reported as dead letters.")]
    private partial void LogStopped(int count);
}
