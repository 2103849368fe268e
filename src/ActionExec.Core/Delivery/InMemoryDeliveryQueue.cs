using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ActionExec.Errors;
using Microsoft.Extensions.Options;

namespace ActionExec.Delivery;

/// <summary>
/// The default <see cref="IDeliveryQueue"/>: bounded by <see cref="DeliveryOptions.Capacity"/>, ordered by due time (first
/// queued first among equals), with retries scheduled on the injected <see cref="TimeProvider"/>. Thread-safe. Its
/// deliveries live only as long as the process: shutdown reports what is left (see <see cref="CloseAsync"/>).
/// </summary>
internal sealed class InMemoryDeliveryQueue : IDeliveryQueue, IDisposable
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<BackgroundDelivery, (DateTimeOffset DueAt, long Order)> _waiting = new();
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _places;
    private readonly CancellationTokenSource _closing = new();
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly TimeSpan _enqueueTimeout;
    private TaskCompletionSource _changed = NewSignal();
    private long _order;
    private bool _closed;

    /// <summary>Creates the queue.</summary>
    /// <param name="options">The delivery options: <see cref="DeliveryOptions.Capacity"/> and <see cref="DeliveryOptions.EnqueueTimeout"/>.</param>
    /// <param name="time">The clock that decides when a delivery is due and when waiting for a place ends.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public InMemoryDeliveryQueue(IOptions<DeliveryOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var value = options.Value;
        _capacity = value.Capacity;
        _enqueueTimeout = value.EnqueueTimeout;
        _places = new SemaphoreSlim(_capacity, _capacity);
        _time = time;
    }

    /// <inheritdoc />
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>When the earliest waiting delivery is due; <see langword="null"/> when none waits.</summary>
    internal DateTimeOffset? NextDueAt
    {
        get
        {
            lock (_gate)
            {
                return _waiting.TryPeek(out _, out var due) ? due.DueAt : null;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="delivery"/> is null.</exception>
    /// <exception cref="ArgumentException">The delivery has no id, no tenant or no target list, or a delivery with its id is already queued.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when no place became free within <see cref="DeliveryOptions.EnqueueTimeout"/>, or the queue is closed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting for a place.</exception>
    public async ValueTask EnqueueAsync(BackgroundDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (string.IsNullOrEmpty(delivery.Id) || string.IsNullOrEmpty(delivery.TenantId) || delivery.TargetIds.IsDefault)
        {
            throw new ArgumentException("A delivery needs an id, a tenant and a target list.", nameof(delivery));
        }

        if (Volatile.Read(ref _closed))
        {
            throw Closed(delivery.Id);
        }

        if (!_places.Wait(0, CancellationToken.None))
        {
            await WaitForPlaceAsync(delivery.Id, cancellationToken).ConfigureAwait(false);
        }

        lock (_gate)
        {
            if (_closed || !_held.Add(delivery.Id))
            {
                _places.Release();
                throw _closed
                    ? Closed(delivery.Id)
                    : new ArgumentException($"A delivery with id '{delivery.Id}' is already queued; give every delivery its own id.", nameof(delivery));
            }

            Push(delivery, _time.GetUtcNow());
        }
    }

    /// <inheritdoc />
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the queue is closed.</exception>
    public async ValueTask<BackgroundDelivery> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task changed;
            DateTimeOffset? dueAt;
            lock (_gate)
            {
                if (_closed)
                {
                    throw new ActionExecException(ActionExecErrorCode.Unavailable, "The delivery queue is closed because the host is shutting down; nothing more can be taken from it.");
                }

                if (TryTakeDue(out var delivery))
                {
                    return delivery;
                }

                changed = _changed.Task;
                dueAt = _waiting.TryPeek(out _, out var next) ? next.DueAt : null;
            }

            await WaitForChangeAsync(changed, dueAt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<BackgroundDelivery?> TryDequeueAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(!_closed && TryTakeDue(out var delivery) ? delivery : null);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="delivery"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The delivery is not in flight (it was not taken from this queue, or was already given back).</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the queue is closed; the delivery is then no longer held.</exception>
    public ValueTask RescheduleAsync(BackgroundDelivery delivery, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_gate)
        {
            TakeBack(delivery.Id);
            if (_closed)
            {
                _held.Remove(delivery.Id);
                throw Closed(delivery.Id);
            }

            Push(delivery, dueAt);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="delivery"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The delivery is not in flight (it was not taken from this queue, or was already given back).</exception>
    public ValueTask CompleteAsync(BackgroundDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_gate)
        {
            TakeBack(delivery.Id);
            _held.Remove(delivery.Id);
        }

        _places.Release();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Returns every delivery still waiting, earliest due first. Deliveries in flight stay with whoever took them.</remarks>
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
            while (_waiting.TryDequeue(out var delivery, out _))
            {
                _held.Remove(delivery.Id);
                left.Add(delivery);
            }

            Signal();
        }

        _closing.Cancel();
        return ValueTask.FromResult<IReadOnlyList<BackgroundDelivery>>(left);
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

    /// <summary>Waits until something is added, the earliest delivery becomes due, or the wait is cancelled.</summary>
    private async Task WaitForChangeAsync(Task changed, DateTimeOffset? dueAt, CancellationToken cancellationToken)
    {
        if (dueAt is not { } due)
        {
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var delay = due - _time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        var wake = NewSignal();
        var timer = _time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), wake, delay, Timeout.InfiniteTimeSpan);
        await using (timer.ConfigureAwait(false))
        {
            // The clock may move between reading it and arming the timer; a timer armed late would wait a whole delay too long.
            if (_time.GetUtcNow() >= due)
            {
                return;
            }

            await Task.WhenAny(changed, wake.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryTakeDue([MaybeNullWhen(false)] out BackgroundDelivery delivery)
    {
        if (_waiting.TryPeek(out var head, out var due) && due.DueAt <= _time.GetUtcNow())
        {
            _waiting.Dequeue();
            _inFlight.Add(head.Id);
            delivery = head;
            return true;
        }

        delivery = null;
        return false;
    }

    private void TakeBack(string id)
    {
        if (!_inFlight.Remove(id))
        {
            throw new InvalidOperationException($"Delivery '{id}' is not in flight: only a delivery taken from this queue can be rescheduled or completed, and only once.");
        }
    }

    private void Push(BackgroundDelivery delivery, DateTimeOffset dueAt)
    {
        _waiting.Enqueue(delivery, (dueAt, _order++));
        Signal();
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }
}
