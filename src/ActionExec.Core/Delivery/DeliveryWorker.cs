using System.Collections.Immutable;
using System.Text;
using ActionExec.Diagnostics;
using ActionExec.Dispatch;
using ActionExec.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActionExec.Delivery;

/// <summary>
/// Works off the <see cref="IDeliveryQueue"/> in the background: leases due deliveries in batches of
/// <see cref="DeliveryOptions.LeaseBatchSize"/> and works on up to <see cref="DeliveryOptions.Workers"/> at a time, extending each
/// lease every third of <see cref="DeliveryOptions.LeaseDuration"/> while it runs. Each delivery's targets are called in order,
/// each resolved afresh so a deleted target is skipped and a rotated key is used, with a checkpoint after each target so that a
/// crash re-sends only the targets not yet done. A failed attempt is retried on <see cref="DeliveryOptions.RetrySchedule"/>
/// (later, if <c>Retry-After</c> asks for more) when it is retryable; a target that fails for good, runs out of attempts or
/// outlives <see cref="DeliveryOptions.MaxAge"/> is given up and reported as a <see cref="DeadLetter"/>. When an interrupting
/// target is given up, the rest of its delivery is abandoned; otherwise delivery goes on with the next target. Every attempt is
/// handed to the queue with the state change it led to, for the delivery history.
/// </summary>
/// <remarks>
/// <para>
/// A lease the queue reports lost (it ran out and another worker took the delivery) ends the work on that delivery at once: the
/// other worker owns it now, so this one neither finishes nor reports it.
/// </para>
/// <para>
/// On shutdown the worker stops waiting for new work, finishes what it holds and delivers what is due, for up to
/// <see cref="DeliveryOptions.DrainTimeout"/>; what is still in flight then goes back to the queue, due at once, with its
/// progress. Then the queue is closed and everything it reports as lost is reported with <see cref="DeadLetterReason.Shutdown"/>
/// (a durable queue keeps it instead). No exception escapes a loop.
/// </para>
/// </remarks>
internal sealed partial class DeliveryWorker : BackgroundService
{
    /// <summary>The most of a target's answer the history keeps, in bytes.</summary>
    internal const int MaxRecordedBodyBytes = 4096;

    private const string ShutdownReason = "the attempt was cut short because the host shut down";

    private static readonly TimeSpan QueueFailurePause = TimeSpan.FromSeconds(1);

    // The longest a loop waits for the queue before it leases again: a safety net for a shared queue that missed a wake-up.
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);

    /// <summary>How often the loop counts the queue for the queue-length gauge: on a timer, never per lease or wait.</summary>
    internal static readonly TimeSpan QueueCountInterval = TimeSpan.FromSeconds(5);

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
    private readonly TimeSpan _leaseDuration;
    private readonly int _workers;
    private readonly int _batch;
    private readonly bool _recordBodies;
    private readonly bool _inline;

    // Inline delivery works off the queue on the caller's flow, one pass at a time; a target that publishes again from inside a
    // pass leaves its delivery to that pass rather than waiting for itself.
    private readonly SemaphoreSlim _inlinePass = new(1, 1);
    private readonly AsyncLocal<bool> _inInlinePass = new();

    // Cancelled when the drain time is up (or the host stops waiting): what is in flight then goes back to the queue.
    private readonly CancellationTokenSource _abort;
    private int _stopping;

    // The queue's length as last counted, for the gauge: counting may be a database query, so the gauge never does it itself.
    private long _queueLength;
    private int _counting;

    /// <summary>Creates the worker.</summary>
    /// <param name="queue">The queue to work off.</param>
    /// <param name="engine">Resolves target ids through the tenant's current snapshot.</param>
    /// <param name="caller">Makes and classifies each attempt.</param>
    /// <param name="observers">Told about every dead letter.</param>
    /// <param name="statistics">The running totals this worker adds to.</param>
    /// <param name="options">The delivery options.</param>
    /// <param name="time">The clock for retries, ages, leases and the drain time.</param>
    /// <param name="telemetry">The meter: dead letters and the queue's length.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
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
        _leaseDuration = value.LeaseDuration;
        _workers = value.Workers;
        _batch = value.EffectiveLeaseBatchSize;
        _recordBodies = value.RecordBodies;
        _inline = value.Inline;
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        telemetry.ObserveQueue(() => (int)Math.Min(Interlocked.Read(ref _queueLength), int.MaxValue));
    }

    /// <summary>The running totals: deliveries delivered and dead-lettered, dead letters, retries.</summary>
    public DeliveryStatistics Statistics { get; }

    /// <summary>Whether deliveries are worked off inline, by the flow that queued them, rather than by started loops.</summary>
    internal bool IsInline => _inline;

    /// <summary>The queue's length as the worker last counted it: what the queue-length gauge reports.</summary>
    internal long QueueLength => Interlocked.Read(ref _queueLength);

    /// <summary>
    /// Stops the worker: it takes no new work but finishes what it holds and delivers what is due, for up to
    /// <see cref="DeliveryOptions.DrainTimeout"/> (less if <paramref name="cancellationToken"/> fires first); what is still in flight
    /// then goes back to the queue with its progress. Then the queue is closed and every delivery it reports as lost is reported
    /// as a dead letter with <see cref="DeadLetterReason.Shutdown"/>.
    /// </summary>
    /// <param name="cancellationToken">Fires when the host stops waiting; the drain ends at once.</param>
    /// <returns>A task that completes when the worker has stopped and reported what it could not deliver.</returns>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (ExecuteTask is null || Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            return;
        }

        LogDraining(await RefreshQueueLengthAsync().ConfigureAwait(false), _drainTimeout.TotalSeconds);

        // The base class cancels the stopping token before it first waits, so the loop stops leasing new work before it can be
        // aborted; aborted first, it would lease a due delivery, find the abort requested and hand it back due at once, without end.
        var stopped = base.StopAsync(CancellationToken.None);
        _abort.CancelAfter(_drainTimeout);
        using (cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort))
        {
            // Aborted, the work in flight only goes back to the queue, which the abort makes quick (every attempt and observer is
            // given the abort token): waiting for that means every delivery is reported before this returns, not after.
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

        Interlocked.Exchange(ref _queueLength, 0);
        LogStopped(left.Count);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _inlinePass.Dispose();
        _abort.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Delivers every delivery that is due now, through the same processing as the loop, and returns when none is: what inline
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
            // Once shutdown has given up on the drain, a delivery handed back due at once would be leased again without end.
            // One lease at a time: the others would wait out their leases while this pass works.
            while (!_abort.IsCancellationRequested)
            {
                var leases = await _queue.LeaseAsync(1, _leaseDuration, CancellationToken.None).ConfigureAwait(false);
                if (leases.Count == 0)
                {
                    break;
                }

                await ProcessSafelyAsync(leases[0], workers: null).ConfigureAwait(false);
            }

            await RefreshQueueLengthAsync().ConfigureAwait(false);
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

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_inline)
        {
            // Deliveries are worked off by the flows that queue them (DeliverDueAsync); a loop here would race them for it.
            LogStartedInline();
            return Task.CompletedTask;
        }

        LogStarted(_workers);
        return Task.Run(() => RunAsync(stoppingToken), CancellationToken.None);
    }

    private static BackgroundDelivery NextTargetOf(BackgroundDelivery delivery) =>
        delivery with { NextTarget = delivery.NextTarget + 1, Attempts = 0, LastStatusCode = null, LastReason = null };

    /// <summary>The first <see cref="MaxRecordedBodyBytes"/> of a body as text, cut where a character starts.</summary>
    private static string RecordedBody(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxRecordedBodyBytes)
        {
            var length = MaxRecordedBodyBytes;
            while (length > 0 && (body[length] & 0xC0) == 0x80)
            {
                length--;
            }

            body = body[..length];
        }

        return Encoding.UTF8.GetString(body);
    }

    /// <summary>
    /// The loop: leases due deliveries, at most a batch at a time and at most <c>max(Workers, LeaseBatchSize)</c> held at once,
    /// keeps each one's lease from the moment it is leased, and works on up to <see cref="DeliveryOptions.Workers"/> of them at a
    /// time, each in its own task. A worker is free for the next delivery as soon as its delivery's work is done, while the queue
    /// still records the finish; the finished delivery is held until the queue answered. With deliveries still waiting for a
    /// worker, the loop leases again only once they are down to what the workers can take. It waits on the queue when nothing is
    /// due. Once stopping, it delivers what is due until nothing is or the drain time is up.
    /// </summary>
    private async Task RunAsync(CancellationToken stopping)
    {
        var capacity = Math.Max(_workers, _batch);
        var refill = Math.Max(1, capacity - _workers);
        using var slots = new SemaphoreSlim(capacity, capacity);
        using var workers = new SemaphoreSlim(_workers, _workers);
        using var ended = new SemaphoreSlim(0, int.MaxValue);
        var counter = _time.CreateTimer(static state => ((DeliveryWorker)state!).StartCounting(), this, TimeSpan.Zero, QueueCountInterval);
        await using var counting = counter.ConfigureAwait(false);
        var running = new List<Task>();
        while (!stopping.IsCancellationRequested)
        {
            running.RemoveAll(static t => t.IsCompleted);
            try
            {
                while (slots.CurrentCount < refill)
                {
                    await ended.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var leases = await LeaseFreeAsync(slots, 0, stopping).ConfigureAwait(false);
            if (leases is null)
            {
                if (!await PauseAsync(stopping).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            if (leases.Count == 0)
            {
                try
                {
                    await _queue.WaitAsync(IdleWait, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    LogQueueFailed(e);
                    if (!await PauseAsync(stopping).ConfigureAwait(false))
                    {
                        break;
                    }
                }

                continue;
            }

            Start(leases, slots, workers, ended, running);
        }

        // The host is stopping: deliver what is due now, until nothing is or the drain time is up.
        while (!_abort.IsCancellationRequested)
        {
            running.RemoveAll(static t => t.IsCompleted);
            IReadOnlyList<DeliveryLease>? leases = null;
            if (slots.Wait(0, CancellationToken.None))
            {
                leases = await LeaseFreeAsync(slots, 1, _abort.Token).ConfigureAwait(false);
                if (leases is null)
                {
                    break;
                }
            }

            if (leases is { Count: > 0 })
            {
                Start(leases, slots, workers, ended, running);
                continue;
            }

            if (running.Count == 0)
            {
                break;
            }

            // A delivery in flight may hand back a retry that is due at once; lease again when one of them ends.
            await Task.WhenAny(running).ConfigureAwait(false);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        await RefreshQueueLengthAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Leases for the <paramref name="taken"/> worker slots already taken plus any other free one, up to a batch, and gives back
    /// the slots no lease filled. Returns <see langword="null"/> when the queue failed or the lease was cancelled.
    /// </summary>
    private async Task<IReadOnlyList<DeliveryLease>?> LeaseFreeAsync(SemaphoreSlim slots, int taken, CancellationToken cancellationToken)
    {
        while (taken < _batch && slots.Wait(0, CancellationToken.None))
        {
            taken++;
        }

        if (taken == 0)
        {
            return [];
        }

        IReadOnlyList<DeliveryLease> leases;
        try
        {
            leases = await _queue.LeaseAsync(taken, _leaseDuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            slots.Release(taken);
            if (!cancellationToken.IsCancellationRequested)
            {
                LogQueueFailed(e);
            }

            return null;
        }

        if (leases.Count < taken)
        {
            slots.Release(taken - leases.Count);
        }

        return leases;
    }

    private void Start(IReadOnlyList<DeliveryLease> leases, SemaphoreSlim slots, SemaphoreSlim workers, SemaphoreSlim ended, List<Task> running)
    {
        foreach (var lease in leases)
        {
            running.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await ProcessSafelyAsync(lease, workers).ConfigureAwait(false);
                    }
                    finally
                    {
                        slots.Release();
                        ended.Release();
                    }
                },
                CancellationToken.None));
        }
    }

    /// <summary>Pauses after a queue failure; <see langword="false"/> when stopping cut the pause short.</summary>
    private async Task<bool> PauseAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(QueueFailurePause, _time, stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Starts counting the queue for the gauge, unless a count is still under way: the timer's tick.</summary>
    private void StartCounting()
    {
        if (Interlocked.Exchange(ref _counting, 1) == 0)
        {
            _ = CountAsync();
        }

        async Task CountAsync()
        {
            try
            {
                await RefreshQueueLengthAsync().ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref _counting, 0);
            }
        }
    }

    /// <summary>Counts the queue for the gauge; a queue that cannot count keeps the last count.</summary>
    private async Task<long> RefreshQueueLengthAsync()
    {
        try
        {
            var count = await _queue.CountAsync(CancellationToken.None).ConfigureAwait(false);
            Interlocked.Exchange(ref _queueLength, count);
            return count;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogQueueFailed(e);
            return Interlocked.Read(ref _queueLength);
        }
    }

    private async Task ProcessSafelyAsync(DeliveryLease lease, SemaphoreSlim? workers)
    {
        try
        {
            await ProcessAsync(lease, workers).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a failure while handling a failure gets here; the loop must live on. The lease runs out and the delivery is
            // due again.
            LogProcessingFailed(lease.Delivery.Id, e);
        }
    }

    /// <summary>
    /// Works on one leased delivery: its lease is kept from the start, while it waits for one of <paramref name="workers"/>
    /// (none to wait for inline) and while it runs.
    /// </summary>
    private async Task ProcessAsync(DeliveryLease lease, SemaphoreSlim? workers)
    {
        using var run = new DeliveryRun(this, lease);
        var keeper = KeepLease(run);
        try
        {
            if (workers is not null)
            {
                await workers.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                run.HoldWorker(workers);

                // Its lease was lost, or the drain time ran out, while it waited: it goes no further than the handling of that.
                run.Token.ThrowIfCancellationRequested();
            }

            // The one flow loop, resumed where the delivery stopped; a step that ends the lease ends the pass.
            await FlowRunner.RunAsync(run, run.Current.NextTarget, run.Current.TargetIds.Length, run.Token).ConfigureAwait(false);
            if (!run.Left)
            {
                await FinishAsync(run, run.Current).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (run.IsLost)
        {
            // Reported when the lease was found lost; the delivery is another worker's now.
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested && !run.Left)
        {
            // The drain time is up: the delivery goes back due at once with its progress. An attempt cut short may have reached
            // the target, so it counts: a report of no attempts would say the target never saw it.
            var current = run.Current;
            if (run.CallStartedAt is { } started)
            {
                run.Record(current, started, _time.GetUtcNow() - started, DeliveryAttemptOutcome.Retrying, statusCode: null, ShutdownReason, body: default);
                current = current with { Attempts = current.Attempts + 1, LastStatusCode = null, LastReason = ShutdownReason };
            }

            await HandBackAsync(run, current, _time.GetUtcNow()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !run.Left)
        {
            // Resolving the target or calling it failed unexpectedly (a store that cannot be read, for instance): counted as a
            // failed attempt, so the schedule, the maximum age and the dead-letter report still apply.
            var current = run.Current;
            LogProcessingFailed(current.Id, e);
            if (current.NextTarget >= current.TargetIds.Length)
            {
                await FinishAsync(run, current).ConfigureAwait(false);
                return;
            }

            var reason = $"processing the delivery failed: {e.GetType().Name}";
            var failed = current with { Attempts = current.Attempts + 1, LastStatusCode = null, LastReason = reason };
            var started = run.CallStartedAt ?? _time.GetUtcNow();
            var next = await AfterFailureAsync(run, failed, run.Target, retryable: true, retryAfter: null, started, _time.GetUtcNow() - started, statusCode: null, body: default).ConfigureAwait(false);
            if (next is not null)
            {
                // Go on later rather than here, where the failure might repeat at once.
                await HandBackAsync(run, next, _time.GetUtcNow()).ConfigureAwait(false);
            }
        }
        finally
        {
            run.ReleaseWorker();
            await run.StopKeepingAsync().ConfigureAwait(false);
            await keeper.DisposeAsync().ConfigureAwait(false);
            Task extension;
            lock (run)
            {
                extension = run.Extension;
            }

            await extension.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Extends the run's lease every third of the lease duration until the run ends or the lease is lost: a periodic timer on the
    /// clock, so a slow extension never pushes the next one later; an extension still under way when the next is due is not doubled.
    /// </summary>
    private ITimer KeepLease(DeliveryRun run)
    {
        var period = _leaseDuration / 3;
        return _time.CreateTimer(
            static state =>
            {
                var run = (DeliveryRun)state!;
                run.Worker.StartExtension(run);
            },
            run,
            period,
            period);
    }

    private void StartExtension(DeliveryRun run)
    {
        lock (run)
        {
            if (run.Extension.IsCompleted && !run.KeeperToken.IsCancellationRequested)
            {
                run.Extension = ExtendAsync(run);
            }
        }
    }

    private async Task ExtendAsync(DeliveryRun run)
    {
        var stop = run.KeeperToken;
        bool kept;
        try
        {
            kept = await _queue.ExtendLeaseAsync(run.Lease, _leaseDuration, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The lease may well still hold: the next period tries again, and the queue says when it is lost.
            LogQueueFailed(e);
            return;
        }

        if (!kept && !stop.IsCancellationRequested)
        {
            run.MarkLost();
        }
    }

    /// <summary>
    /// Retries a failed target or gives it up, recording the attempt with its outcome. Returns the delivery to go on with (at
    /// its next target), or <see langword="null"/> when the lease ended: rescheduled, finished because the rest was abandoned, or lost.
    /// </summary>
    private async ValueTask<BackgroundDelivery?> AfterFailureAsync(
        DeliveryRun run,
        BackgroundDelivery failed,
        ResolvedTarget? target,
        bool retryable,
        TimeSpan? retryAfter,
        DateTimeOffset startedAt,
        TimeSpan duration,
        int? statusCode,
        ReadOnlyMemory<byte> body)
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
            if (dueAt - failed.AgeFrom <= _maxAge)
            {
                run.Record(failed with { Attempts = failed.Attempts - 1 }, startedAt, duration, DeliveryAttemptOutcome.Retrying, statusCode, failed.LastReason, body);
                LogRetryScheduled(failed.TargetIds[failed.NextTarget], failed.Id, failed.Source, failed.Attempts, dueAt);
                if (await HandBackAsync(run, failed, dueAt).ConfigureAwait(false))
                {
                    Statistics.RecordRetry();
                }

                return null;
            }

            reason = DeadLetterReason.Expired;
        }

        run.Record(failed with { Attempts = failed.Attempts - 1 }, startedAt, duration, DeliveryAttemptOutcome.GaveUp, statusCode, failed.LastReason, body);
        var interrupt = target?.Definition.InterruptsFlow ?? false;
        await GiveUpAsync(failed, reason, abandonRest: interrupt, _abort.Token).ConfigureAwait(false);
        var givenUp = interrupt ? failed.TargetIds[failed.NextTarget..] : [failed.TargetIds[failed.NextTarget]];
        var next = NextTargetOf(failed) with { GivenUpTargetIds = failed.GivenUpTargetIds.AddRange(givenUp) };
        if (interrupt)
        {
            await FinishAsync(run, next with { NextTarget = next.TargetIds.Length }).ConfigureAwait(false);
            return null;
        }

        return next;
    }

    /// <summary>Ends the lease with the delivery due again at <paramref name="dueAt"/>; <see langword="false"/> when it was lost or the queue failed.</summary>
    private async Task<bool> HandBackAsync(DeliveryRun run, BackgroundDelivery delivery, DateTimeOffset dueAt)
    {
        run.Left = true;
        await run.StopKeepingAsync().ConfigureAwait(false);
        run.ReleaseWorker();
        try
        {
            if (await _queue.RescheduleAsync(run.Lease, delivery, dueAt, run.TakeAttempts(), CancellationToken.None).ConfigureAwait(false))
            {
                return true;
            }

            run.MarkLost();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The lease runs out and the delivery is due again from where it was last checkpointed: nothing is lost.
            LogQueueFailed(e);
        }

        return false;
    }

    /// <summary>Ends the lease with the delivery finished: delivered, or dead-lettered when it gave up a target.</summary>
    private async Task FinishAsync(DeliveryRun run, BackgroundDelivery delivery)
    {
        run.Left = true;
        await run.StopKeepingAsync().ConfigureAwait(false);
        run.ReleaseWorker();
        var withDeadLetters = delivery.GivenUpTargetIds.Length > 0;
        bool finished;
        try
        {
            var attempts = run.TakeAttempts();
            finished = withDeadLetters
                ? await _queue.DeadLetterAsync(run.Lease, delivery, attempts, CancellationToken.None).ConfigureAwait(false)
                : await _queue.CompleteAsync(run.Lease, delivery, attempts, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogQueueFailed(e);
            return;
        }

        if (!finished)
        {
            run.MarkLost();
            return;
        }

        Statistics.RecordFinished(withDeadLetters);
        if (!withDeadLetters)
        {
            LogDelivered(delivery.Id, delivery.Source, delivery.TargetIds.Length);
        }
    }

    /// <summary>Records progress after a target while the lease is kept; <see langword="false"/> when the lease was lost.</summary>
    private async ValueTask<bool> CheckpointAsync(DeliveryRun run, BackgroundDelivery delivery)
    {
        try
        {
            if (await _queue.CheckpointAsync(run.Lease, delivery, run.TakeAttempts(), CancellationToken.None).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Without its checkpoint the delivery could not be resumed correctly by another worker; stop here and let the lease
            // run out, so it is resumed from the last checkpoint that was kept.
            LogQueueFailed(e);
            run.Left = true;
            return false;
        }

        run.MarkLost();
        return false;
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
    /// One pass over a leased delivery, as <see cref="FlowRunner"/> steps: each target looked up afresh (a deleted one is skipped,
    /// a rotated key used), every target given the delivery's one payload, an answer merged into nothing, a checkpoint after each
    /// target. A failed attempt is retried later or given up here, by the delivery's own rules: a retry, giving up an
    /// interrupting target, or a lost lease ends the pass.
    /// </summary>
    private sealed class DeliveryRun(DeliveryWorker worker, DeliveryLease lease) : IFlowSteps, IDisposable
    {
        private readonly CancellationTokenSource _lost = CancellationTokenSource.CreateLinkedTokenSource(worker._abort.Token);
        private readonly CancellationTokenSource _keeper = new();
        private readonly List<DeliveryAttempt> _attempts = [];
        private SemaphoreSlim? _worker;
        private int _lostFlag;

        public DeliveryWorker Worker => worker;

        public DeliveryLease Lease { get; } = lease;

        /// <summary>The lease extension under way or last made; guarded by locking the run.</summary>
        public Task Extension { get; set; } = Task.CompletedTask;

        /// <summary>The delivery with its progress: its next target, that target's attempts and last failure.</summary>
        public BackgroundDelivery Current { get; private set; } = lease.Delivery;

        /// <summary>The target of the current step, once it was found.</summary>
        public ResolvedTarget? Target { get; private set; }

        /// <summary>When the attempt under way started; <see langword="null"/> between attempts (one cut short by the shutdown still counts).</summary>
        public DateTimeOffset? CallStartedAt { get; private set; }

        /// <summary>Whether the lease ended during the pass: rescheduled, finished, or lost.</summary>
        public bool Left { get; set; }

        /// <summary>Whether the lease was lost: another worker owns the delivery.</summary>
        public bool IsLost => Volatile.Read(ref _lostFlag) == 1;

        /// <summary>Cancelled when the drain time is up or the lease is lost: every step of the pass is given it.</summary>
        public CancellationToken Token => _lost.Token;

        /// <summary>Cancelled when the lease no longer needs extending.</summary>
        public CancellationToken KeeperToken => _keeper.Token;

        public async ValueTask<FlowStep> ResolveAsync(int position, CancellationToken cancellationToken)
        {
            Target = null;
            var current = Current;
            if (worker._time.GetUtcNow() - current.AgeFrom > worker._maxAge)
            {
                // None of the remaining targets can be tried any more: one report covers them all.
                await worker.GiveUpAsync(current, DeadLetterReason.Expired, abandonRest: true, cancellationToken).ConfigureAwait(false);
                var expired = current with
                {
                    NextTarget = current.TargetIds.Length,
                    GivenUpTargetIds = current.GivenUpTargetIds.AddRange(current.TargetIds[current.NextTarget..]),
                };
                await worker.FinishAsync(this, expired).ConfigureAwait(false);
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
            var started = worker._time.GetUtcNow();
            CallStartedAt = started;
            var attempt = await worker._caller.CallAsync(target, payload, current.Id, current.Attempts + 1, cancellationToken).ConfigureAwait(false);
            CallStartedAt = null;
            var body = attempt.Answer?.Body ?? attempt.Body;
            BackgroundDelivery next;
            if (attempt.Succeeded)
            {
                Record(current, started, attempt.Duration, DeliveryAttemptOutcome.Succeeded, attempt.StatusCode, reason: null, body);
                next = NextTargetOf(current);
            }
            else
            {
                current = current with { Attempts = current.Attempts + 1, LastStatusCode = attempt.StatusCode, LastReason = attempt.Reason };
                Current = current;
                var afterFailure = await worker.AfterFailureAsync(this, current, target, attempt.IsRetryable, attempt.RetryAfter, started, attempt.Duration, attempt.StatusCode, body).ConfigureAwait(false);
                if (afterFailure is null)
                {
                    return AttemptOutcome.End;
                }

                next = afterFailure;
            }

            Current = next;
            if (next.NextTarget < next.TargetIds.Length && !await worker.CheckpointAsync(this, next).ConfigureAwait(false))
            {
                Left = true;
                return AttemptOutcome.End;
            }

            return default;
        }

        // Every target of a delivery receives the same payload; a call target's answer changes nothing.
        public string? Merge(ResolvedTarget target, ReadOnlyMemory<byte> answer) => null;

        // Never reached: a failed attempt is retried or given up by RunAsync, which ends the pass itself.
        public void Interrupt(int position, TargetAttempt failed)
        {
        }

        /// <summary>Adds an attempt at <paramref name="delivery"/>'s next target (numbered after its attempts so far) to those the next queue call records.</summary>
        public void Record(BackgroundDelivery delivery, DateTimeOffset startedAt, TimeSpan duration, DeliveryAttemptOutcome outcome, int? statusCode, string? reason, ReadOnlyMemory<byte> body) =>
            _attempts.Add(new DeliveryAttempt
            {
                DeliveryId = delivery.Id,
                TenantId = delivery.TenantId,
                Source = delivery.Source,
                TargetId = delivery.TargetIds[delivery.NextTarget],
                Attempt = delivery.Attempts + 1,
                StartedAt = startedAt,
                Duration = duration,
                Outcome = outcome,
                StatusCode = statusCode,
                Reason = reason,
                ResponseBody = worker._recordBodies && !body.IsEmpty ? RecordedBody(body.Span) : null,
            });

        /// <summary>The attempts not yet handed to the queue, handed over now.</summary>
        public DeliveryAttempt[] TakeAttempts()
        {
            var taken = _attempts.ToArray();
            _attempts.Clear();
            return taken;
        }

        /// <summary>Stops the work on the delivery at once and logs it, once: another worker leased it.</summary>
        public void MarkLost()
        {
            Left = true;
            if (Interlocked.Exchange(ref _lostFlag, 1) == 0)
            {
                worker.LogLeaseLost(Current.Id, Current.Source, Current.NextTarget);
                _lost.Cancel();
            }
        }

        public Task StopKeepingAsync() => _keeper.CancelAsync();

        /// <summary>Records that the run holds one of the loop's workers, which <see cref="ReleaseWorker"/> gives back.</summary>
        public void HoldWorker(SemaphoreSlim workers) => Volatile.Write(ref _worker, workers);

        /// <summary>Gives the worker back, once: the delivery's work is done, only the queue's answer is outstanding.</summary>
        public void ReleaseWorker() => Interlocked.Exchange(ref _worker, null)?.Release();

        public void Dispose()
        {
            _lost.Dispose();
            _keeper.Dispose();
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
    private partial void LogDraining(long count, double drainSeconds);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Background delivery stopped; {Count} deliveries it could not finish were reported as dead letters.")]
    private partial void LogStopped(int count);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "The lease on delivery {DeliveryId} ({Source}) was lost at target position {NextTarget}: it ran out and the delivery is due again for any worker, so this worker stopped working on it. Raise DeliveryOptions.LeaseDuration if targets or the queue are slower than a third of it.")]
    private partial void LogLeaseLost(string deliveryId, string source, int nextTarget);
}
