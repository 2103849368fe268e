using System.Globalization;
using System.Text;
using ActionExec.Errors;
using Microsoft.Extensions.Options;

namespace ActionExec.Delivery;

/// <summary>
/// The default <see cref="IDeliveryQueue"/> and <see cref="IDeliveryHistory"/>: bounded by <see cref="DeliveryOptions.Capacity"/>
/// (a delivery holds a place from enqueue until it finishes, retries and leases included), leased earliest due first (first
/// scheduled first among equals), with due times and lease ends on the injected <see cref="TimeProvider"/>. Finished deliveries stay
/// in a history of at most <see cref="DeliveryOptions.HistoryCapacity"/>, each for <see cref="DeliveryOptions.HistoryRetention"/>.
/// Thread-safe. Its deliveries live only as long as the process: shutdown reports what is left (see <see cref="CloseAsync"/>).
/// </summary>
/// <remarks>
/// Every pending delivery has one live ticket in a priority queue ordered by when it can next be leased: its due time while it
/// waits, its lease end while it is leased. A state change stamps a new version on the delivery and pushes a new ticket; an old
/// ticket is recognised by its version and dropped when it reaches the head.
/// </remarks>
internal sealed class InMemoryDeliveryQueue : IDeliveryQueue, IDeliveryHistory, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Entry, (DateTimeOffset At, long Order)> _tickets = new();
    private readonly Queue<(Entry Entry, long Version)> _finished = new();
    private readonly SemaphoreSlim _places;
    private readonly CancellationTokenSource _closing = new();
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly TimeSpan _enqueueTimeout;
    private readonly TimeSpan _retention;
    private readonly int _historyCapacity;
    private readonly bool _recordBodies;
    private TaskCompletionSource _changed = NewSignal();
    private long _order;
    private int _pending;
    private int _finishedCount;
    private bool _closed;

    /// <summary>Creates the queue.</summary>
    /// <param name="options">The delivery options: capacity, enqueue timeout, history capacity and retention, and whether bodies are recorded.</param>
    /// <param name="time">The clock that decides when a delivery is due, when a lease runs out and when waiting for a place ends.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public InMemoryDeliveryQueue(IOptions<DeliveryOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var value = options.Value;
        _capacity = value.Capacity;
        _enqueueTimeout = value.EnqueueTimeout;
        _retention = value.HistoryRetention;
        _historyCapacity = value.HistoryCapacity;
        _recordBodies = value.RecordBodies;
        _places = new SemaphoreSlim(_capacity, _capacity);
        _time = time;
    }

    /// <summary>The number of unfinished deliveries.</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending;
            }
        }
    }

    /// <summary>When the earliest pending delivery that is not leased is due; <see langword="null"/> when none waits.</summary>
    internal DateTimeOffset? NextDueAt
    {
        get
        {
            lock (_gate)
            {
                DateTimeOffset? next = null;
                foreach (var entry in _entries.Values)
                {
                    if (entry.Status == DeliveryStatus.Pending && entry.LeaseId is null && (next is null || entry.DueAt < next))
                    {
                        next = entry.DueAt;
                    }
                }

                return next;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="delivery"/> is null.</exception>
    /// <exception cref="ArgumentException">The delivery has no id, no tenant or no target list.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when no place became free within <see cref="DeliveryOptions.EnqueueTimeout"/>, or the queue is closed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting for a place.</exception>
    public async ValueTask<bool> EnqueueAsync(BackgroundDelivery delivery, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (string.IsNullOrEmpty(delivery.Id) || string.IsNullOrEmpty(delivery.TenantId) || delivery.TargetIds.IsDefault)
        {
            throw new ArgumentException("A delivery needs an id, a tenant and a target list.", nameof(delivery));
        }

        lock (_gate)
        {
            if (_closed)
            {
                throw Closed(delivery.Id);
            }

            Purge(_time.GetUtcNow());
            if (_entries.ContainsKey(delivery.Id))
            {
                return false;
            }
        }

        if (!_places.Wait(0, CancellationToken.None))
        {
            await WaitForPlaceAsync(delivery.Id, cancellationToken).ConfigureAwait(false);
        }

        lock (_gate)
        {
            if (_closed || _entries.ContainsKey(delivery.Id))
            {
                _places.Release();
                return _closed ? throw Closed(delivery.Id) : false;
            }

            var entry = new Entry(delivery, _time.GetUtcNow());
            _entries.Add(delivery.Id, entry);
            _pending++;
            Schedule(entry, dueAt);
            Signal();
            return true;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is below 1 or <paramref name="duration"/> is not positive.</exception>
    public ValueTask<IReadOnlyList<DeliveryLease>> LeaseAsync(int maxCount, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var leases = new List<DeliveryLease>();
        lock (_gate)
        {
            if (_closed)
            {
                return ValueTask.FromResult<IReadOnlyList<DeliveryLease>>(leases);
            }

            var now = _time.GetUtcNow();
            while (leases.Count < maxCount && _tickets.TryPeek(out var entry, out var ticket) && ticket.At <= now)
            {
                _tickets.Dequeue();
                if (ticket.Order != entry.Version)
                {
                    continue;
                }

                entry.LeaseId = Guid.NewGuid().ToString("N");
                entry.LeasedUntil = now + duration;
                Push(entry, entry.LeasedUntil);
                leases.Add(new DeliveryLease(entry.Delivery, entry.LeaseId, entry.LeasedUntil));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<DeliveryLease>>(leases);
    }

    /// <inheritdoc />
    public async ValueTask WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Task changed;
        DateTimeOffset? wakeAt = null;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            changed = _changed.Task;
            var now = _time.GetUtcNow();
            if (maxWait != Timeout.InfiniteTimeSpan)
            {
                wakeAt = now + maxWait;
            }

            // Old tickets are dropped here so that one left in the past does not end every wait at once.
            while (_tickets.TryPeek(out var entry, out var ticket) && ticket.Order != entry.Version)
            {
                _tickets.Dequeue();
            }

            if (_tickets.TryPeek(out _, out var head) && (wakeAt is null || head.At < wakeAt))
            {
                wakeAt = head.At;
            }

            if (wakeAt <= now)
            {
                return;
            }
        }

        if (wakeAt is not { } at)
        {
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var wake = NewSignal();
        var timer = _time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), wake, at - _time.GetUtcNow(), Timeout.InfiniteTimeSpan);
        await using (timer.ConfigureAwait(false))
        {
            // The clock may move between reading it and arming the timer; a timer armed late would wait a whole delay too long.
            if (_time.GetUtcNow() >= at)
            {
                return;
            }

            await Task.WhenAny(changed, wake.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="lease"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not positive.</exception>
    public ValueTask<bool> ExtendLeaseAsync(DeliveryLease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!TryGetLeased(lease, now, out var entry))
            {
                return ValueTask.FromResult(false);
            }

            entry.LeasedUntil = now + duration;
            Push(entry, entry.LeasedUntil);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="progress"/> is another delivery than the lease's.</exception>
    public ValueTask<bool> CheckpointAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        CheckProgress(lease, progress, attempts);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!TryGetLeased(lease, now, out var entry))
            {
                return ValueTask.FromResult(false);
            }

            Record(entry, progress, attempts, now);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="progress"/> is another delivery than the lease's.</exception>
    public ValueTask<bool> RescheduleAsync(DeliveryLease lease, BackgroundDelivery progress, DateTimeOffset dueAt, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        CheckProgress(lease, progress, attempts);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!TryGetLeased(lease, now, out var entry))
            {
                return ValueTask.FromResult(false);
            }

            Record(entry, progress, attempts, now);
            entry.LeaseId = null;
            Schedule(entry, dueAt);
            Signal();
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="progress"/> is another delivery than the lease's.</exception>
    public ValueTask<bool> CompleteAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Finish(lease, progress, attempts, DeliveryStatus.Delivered));

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="progress"/> is another delivery than the lease's.</exception>
    public ValueTask<bool> DeadLetterAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Finish(lease, progress, attempts, DeliveryStatus.DeadLettered));

    /// <inheritdoc />
    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => ValueTask.FromResult<long>(Count);

    /// <inheritdoc />
    /// <remarks>Returns every unfinished delivery, earliest due first, and forgets it. Leases held at that moment are lost.</remarks>
    public ValueTask<IReadOnlyList<BackgroundDelivery>> CloseAsync(CancellationToken cancellationToken)
    {
        var left = new List<BackgroundDelivery>();
        lock (_gate)
        {
            if (_closed)
            {
                return ValueTask.FromResult<IReadOnlyList<BackgroundDelivery>>(left);
            }

            _closed = true;
            var pending = _entries.Values.Where(static e => e.Status == DeliveryStatus.Pending).OrderBy(static e => e.DueAt).ThenBy(static e => e.Order).ToList();
            foreach (var entry in pending)
            {
                _entries.Remove(entry.Delivery.Id);
                entry.Version = -1;
                left.Add(entry.Delivery);
            }

            _pending = 0;
            _tickets.Clear();
            Signal();
        }

        _closing.Cancel();
        return ValueTask.FromResult<IReadOnlyList<BackgroundDelivery>>(left);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is empty.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ValueTask<DeliveryPage> QueryAsync(string tenantId, DeliveryQuery query, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            Purge(_time.GetUtcNow());
            var matching = _entries.Values
                .Where(e => Matches(e, tenantId, query))
                .OrderByDescending(static e => e.Delivery.CreatedAt)
                .ThenByDescending(static e => e.Delivery.Id, StringComparer.Ordinal)
                .ToList();
            var page = matching.Skip(Math.Max(query.Offset, 0)).Take(Math.Clamp(query.Limit, 1, DeliveryQuery.MaxLimit)).Select(e => ToRecord(e, full: false));
            return ValueTask.FromResult(new DeliveryPage([.. page], matching.Count));
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> or <paramref name="deliveryId"/> is empty.</exception>
    public ValueTask<DeliveryRecord?> GetAsync(string tenantId, string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        lock (_gate)
        {
            Purge(_time.GetUtcNow());
            return ValueTask.FromResult(TryGetOwn(tenantId, deliveryId, out var entry) ? ToRecord(entry, full: true) : null);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> or <paramref name="deliveryId"/> is empty.</exception>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.FailedPrecondition"/> when the delivery is still pending; <see cref="ActionExecErrorCode.Unavailable"/>
    /// when the queue has no free place for it or is closed.
    /// </exception>
    public ValueTask<DeliveryRecord?> ReplayAsync(string tenantId, string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Purge(now);
            if (!TryGetOwn(tenantId, deliveryId, out var entry))
            {
                return ValueTask.FromResult<DeliveryRecord?>(null);
            }

            if (entry.Status == DeliveryStatus.Pending)
            {
                throw new ActionExecException(
                    ActionExecErrorCode.FailedPrecondition,
                    $"Delivery '{deliveryId}' is still pending, so it cannot be replayed; wait until it is delivered or dead-lettered.");
            }

            TakePlaces(1, deliveryId);
            Replay(entry, now);
            Signal();
            return ValueTask.FromResult<DeliveryRecord?>(ToRecord(entry, full: true));
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is empty.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the queue has too few free places for them all (then none is replayed) or is closed.</exception>
    public ValueTask<int> ReplayDeadLettersAsync(string tenantId, DateTimeOffset since, string? targetId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Purge(now);
            var replayed = _entries.Values
                .Where(e => e.Status == DeliveryStatus.DeadLettered
                    && string.Equals(e.Delivery.TenantId, tenantId, StringComparison.Ordinal)
                    && e.Delivery.CreatedAt >= since
                    && (targetId is null || e.Delivery.GivenUpTargetIds.Contains(targetId, StringComparer.Ordinal)))
                .OrderBy(static e => e.Delivery.CreatedAt)
                .ToList();
            if (replayed.Count == 0)
            {
                return ValueTask.FromResult(0);
            }

            TakePlaces(replayed.Count, replayed[0].Delivery.Id);
            foreach (var entry in replayed)
            {
                Replay(entry, now);
            }

            Signal();
            return ValueTask.FromResult(replayed.Count);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _closing.Dispose();
        _places.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static ActionExecException Closed(string id) => new(
        ActionExecErrorCode.Unavailable,
        $"The delivery queue is closed because the host is shutting down, so delivery '{id}' was not queued; publish it again once the host has restarted.");

    private static void CheckProgress(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(attempts);
        if (!string.Equals(lease.Delivery.Id, progress.Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The progress is of delivery '{progress.Id}', but the lease holds delivery '{lease.Delivery.Id}'; pass the leased delivery's progress.", nameof(progress));
        }
    }

    private static bool Matches(Entry entry, string tenantId, DeliveryQuery query)
    {
        var delivery = entry.Delivery;
        return string.Equals(delivery.TenantId, tenantId, StringComparison.Ordinal)
            && (query.Status is null || entry.Status == query.Status)
            && (query.TargetId is null || delivery.TargetIds.Contains(query.TargetId, StringComparer.Ordinal))
            && (query.From is null || delivery.CreatedAt >= query.From)
            && (query.To is null || delivery.CreatedAt < query.To);
    }

    private static void Record(Entry entry, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, DateTimeOffset now)
    {
        entry.Delivery = progress;
        entry.Attempts.AddRange(attempts);
        entry.UpdatedAt = now;
    }

    private DeliveryRecord ToRecord(Entry entry, bool full)
    {
        var delivery = entry.Delivery;
        return new DeliveryRecord
        {
            Id = delivery.Id,
            TenantId = delivery.TenantId,
            Source = delivery.Source,
            TargetIds = delivery.TargetIds,
            Status = entry.Status,
            CreatedAt = delivery.CreatedAt,
            UpdatedAt = entry.UpdatedAt,
            NextAttemptAt = entry.Status == DeliveryStatus.Pending ? entry.DueAt : null,
            GivenUpTargetIds = delivery.GivenUpTargetIds,
            Replays = delivery.Replays,
            Attempts = full ? [.. entry.Attempts] : [],
            Payload = full && _recordBodies ? Encoding.UTF8.GetString(delivery.Payload.Span) : null,
        };
    }

    private bool TryGetOwn(string tenantId, string deliveryId, out Entry entry) =>
        _entries.TryGetValue(deliveryId, out entry!) && string.Equals(entry.Delivery.TenantId, tenantId, StringComparison.Ordinal);

    private bool TryGetLeased(DeliveryLease lease, DateTimeOffset now, out Entry entry) =>
        _entries.TryGetValue(lease.Delivery.Id, out entry!)
        && entry.Status == DeliveryStatus.Pending
        && string.Equals(entry.LeaseId, lease.LeaseId, StringComparison.Ordinal)
        && entry.LeasedUntil > now;

    private bool Finish(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, DeliveryStatus status)
    {
        CheckProgress(lease, progress, attempts);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!TryGetLeased(lease, now, out var entry))
            {
                return false;
            }

            Record(entry, progress, attempts, now);
            entry.Status = status;
            entry.LeaseId = null;
            entry.Version = ++_order;
            _pending--;
            _finished.Enqueue((entry, entry.Version));
            _finishedCount++;
            Purge(now);
        }

        _places.Release();
        return true;
    }

    private void Replay(Entry entry, DateTimeOffset now)
    {
        var delivery = entry.Delivery;
        entry.Delivery = delivery with
        {
            TargetIds = entry.Status == DeliveryStatus.DeadLettered ? delivery.GivenUpTargetIds : delivery.TargetIds,
            GivenUpTargetIds = [],
            NextTarget = 0,
            Attempts = 0,
            LastStatusCode = null,
            LastReason = null,
            Replays = delivery.Replays + 1,
            ReplayedAt = now,
        };
        entry.Status = DeliveryStatus.Pending;
        entry.UpdatedAt = now;
        _finishedCount--;
        _pending++;
        Schedule(entry, now);
    }

    /// <summary>Takes places for replayed deliveries without waiting: a replay is an operator's call, answered at once.</summary>
    private void TakePlaces(int count, string firstId)
    {
        if (_closed)
        {
            throw new ActionExecException(ActionExecErrorCode.Unavailable, $"The delivery queue is closed because the host is shutting down, so delivery '{firstId}' was not replayed; replay it once the host has restarted.");
        }

        var taken = 0;
        while (taken < count && _places.Wait(0, CancellationToken.None))
        {
            taken++;
        }

        if (taken < count)
        {
            if (taken > 0)
            {
                _places.Release(taken);
            }

            throw new ActionExecException(
                ActionExecErrorCode.Unavailable,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The delivery queue has {taken} free places of {_capacity}, too few to replay {count} deliveries (the first is '{firstId}'); nothing was replayed. Replay fewer at a time, wait until the queue drains, or raise DeliveryOptions.Capacity."));
        }
    }

    /// <summary>Drops finished deliveries past the retention time, and the oldest finished beyond the history's capacity.</summary>
    private void Purge(DateTimeOffset now)
    {
        var cutoff = now - _retention;
        while (_finished.TryPeek(out var head))
        {
            var (entry, version) = head;
            if (entry.Version != version || entry.Status == DeliveryStatus.Pending)
            {
                _finished.Dequeue();
                continue;
            }

            if (_finishedCount <= _historyCapacity && entry.UpdatedAt > cutoff)
            {
                break;
            }

            _finished.Dequeue();
            _entries.Remove(entry.Delivery.Id);
            entry.Version = -1;
            _finishedCount--;
        }
    }

    private async Task WaitForPlaceAsync(string id, CancellationToken cancellationToken)
    {
        if (_enqueueTimeout > TimeSpan.Zero)
        {
            using var timeout = new CancellationTokenSource(_enqueueTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _closing.Token);
            try
            {
                await _places.WaitAsync(linked.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (_closing.IsCancellationRequested)
                {
                    throw Closed(id);
                }
            }
        }

        throw new ActionExecException(
            ActionExecErrorCode.Unavailable,
            string.Create(
                CultureInfo.InvariantCulture,
                $"The delivery queue is full: all {_capacity} places are taken and none became free within {_enqueueTimeout.TotalSeconds:0.###} s, so delivery '{id}' was not queued. Raise DeliveryOptions.Capacity or DeliveryOptions.EnqueueTimeout, add DeliveryOptions.Workers, or find out why targets answer slowly or fail."));
    }

    private void Schedule(Entry entry, DateTimeOffset dueAt)
    {
        entry.DueAt = dueAt;
        Push(entry, dueAt);
    }

    /// <summary>Gives the entry a new version and its one live ticket.</summary>
    private void Push(Entry entry, DateTimeOffset at)
    {
        entry.Version = ++_order;
        entry.Order = entry.Order == 0 ? _order : entry.Order;
        _tickets.Enqueue(entry, (at, entry.Version));
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    /// <summary>One delivery the queue holds, pending or finished. Guarded by the queue's lock.</summary>
    private sealed class Entry(BackgroundDelivery delivery, DateTimeOffset now)
    {
        public BackgroundDelivery Delivery { get; set; } = delivery;

        public DeliveryStatus Status { get; set; } = DeliveryStatus.Pending;

        public DateTimeOffset DueAt { get; set; }

        public string? LeaseId { get; set; }

        public DateTimeOffset LeasedUntil { get; set; }

        public DateTimeOffset UpdatedAt { get; set; } = now;

        /// <summary>The version of the entry's live ticket; old tickets carry another.</summary>
        public long Version { get; set; }

        /// <summary>The order the delivery was first queued in.</summary>
        public long Order { get; set; }

        public List<DeliveryAttempt> Attempts { get; } = [];
    }
}
