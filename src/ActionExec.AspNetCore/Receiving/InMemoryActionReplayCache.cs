using Microsoft.Extensions.Logging;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>
/// The default <see cref="IActionReplayCache"/>: the keys of one process, bounded to <see cref="DefaultCapacity"/> entries.
/// Expired keys are dropped as new ones come; when the cache is full of live keys, the oldest is dropped (and a warning
/// logged), so that a burst of genuine deliveries is never refused, at the price of forgetting the oldest one early.
/// </summary>
internal sealed partial class InMemoryActionReplayCache : IActionReplayCache
{
    /// <summary>How many keys are kept at most.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _keys = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset ExpiresAt)> _order = new();
    private readonly TimeProvider _time;
    private readonly ILogger<InMemoryActionReplayCache> _logger;
    private readonly int _capacity;

    public InMemoryActionReplayCache(TimeProvider time, ILogger<InMemoryActionReplayCache> logger)
        : this(time, logger, DefaultCapacity)
    {
    }

    internal InMemoryActionReplayCache(TimeProvider time, ILogger<InMemoryActionReplayCache> logger, int capacity)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _logger = logger;
        _capacity = capacity;
    }

    /// <summary>The number of keys held, expired ones not yet dropped included.</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _keys.Count;
            }
        }
    }

    public ValueTask<bool> TryAddAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetUtcNow();
        var evicted = false;
        lock (_lock)
        {
            DropExpired(now);
            if (_keys.TryGetValue(key, out var existing) && existing > now)
            {
                return ValueTask.FromResult(false);
            }

            while (_keys.Count >= _capacity && _order.TryDequeue(out var oldest))
            {
                evicted |= Forget(oldest);
            }

            _keys[key] = expiresAt;
            _order.Enqueue((key, expiresAt));
        }

        if (evicted)
        {
            LogFull(_capacity);
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            _keys.Remove(key);
        }

        return ValueTask.CompletedTask;
    }

    private void DropExpired(DateTimeOffset now)
    {
        // Keys are queued in the order they came; their expiry follows the sender's timestamps, so it is nearly in order too.
        // A key that expires late behind an early one waits for it, which only keeps it a little longer.
        while (_order.TryPeek(out var head) && head.ExpiresAt <= now)
        {
            _order.Dequeue();
            Forget(head);
        }

        // Removed keys leave their place in the queue behind; the queue is compacted before it outgrows the keys by far.
        if (_order.Count > 2 * Math.Max(_keys.Count, 1024))
        {
            var live = _order.Where(e => _keys.TryGetValue(e.Key, out var at) && at == e.ExpiresAt).ToList();
            _order.Clear();
            foreach (var entry in live)
            {
                _order.Enqueue(entry);
            }
        }
    }

    /// <summary>Removes the key of a queue entry, unless it was added again since; true when a key was removed.</summary>
    private bool Forget((string Key, DateTimeOffset ExpiresAt) entry) =>
        _keys.TryGetValue(entry.Key, out var at) && at == entry.ExpiresAt && _keys.Remove(entry.Key);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "The in-memory replay cache of action deliveries is full ({Capacity} keys within the tolerance); the oldest was dropped early. Register an IActionReplayCache that holds more.")]
    private partial void LogFull(int capacity);
}
