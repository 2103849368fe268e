using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Npgsql;

namespace ActionExec.PostgreSql.Storage;

/// <summary>
/// Tells the engine when a tenant it holds changed in the database. Every commit notifies the schema's channel with
/// <c>&lt;tenant&gt;:&lt;sequence&gt;</c>; one connection per instance listens, and reconnects with back-off when it drops.
/// Because a notification sent while the listener was down is lost, the tenants held are also polled every poll interval
/// (and once right after every reconnect): a change reaches the engine within that bound even with no listener at all.
/// A tenant's token fires when a sequence newer than the one last loaded or committed here shows up; the engine then
/// reloads, so nothing is checked on the dispatch path. When the last callback registered on a tenant's tokens is disposed (the
/// engine evicted the idle tenant), the feed forgets the tenant and polls for it no more. The same connection listens to the
/// durable delivery queue's channel.
/// </summary>
internal sealed partial class PostgreSqlChangeFeed : IAsyncDisposable, IDisposable
{
    /// <summary>The longest payload PostgreSQL accepts is 8000 bytes; a longer tenant id is announced as "some tenant changed".</summary>
    private const int MaxPayloadBytes = 7900;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the listener waits without a notification before it checks its connection is alive.</summary>
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, TenantWatch> _tenants = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly string _deliveriesChannel;
    private readonly string _pollSql;
    private readonly TimeSpan _pollInterval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private Action<string?>? _onDeliveries;
    private Task? _listening;
    private Task? _polling;
    private int _started;
    private int _listens;
    private bool _disposed;

    public PostgreSqlChangeFeed(NpgsqlDataSource dataSource, string schema, TimeSpan pollInterval, TimeProvider timeProvider, ILogger logger)
    {
        _dataSource = dataSource;
        _channel = Migrations.SchemaName.Channel(schema);
        _deliveriesChannel = Migrations.SchemaName.DeliveriesChannel(schema);
        _pollSql = $"SELECT tenant_id, sequence FROM {schema}.tenants WHERE tenant_id = ANY($1)";
        _pollInterval = pollInterval;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The channel every commit notifies.</summary>
    public string Channel => _channel;

    /// <summary>How many times the listener has started listening (1 after the first connection, one more per reconnect).</summary>
    internal int ListenCount => Volatile.Read(ref _listens);

    /// <summary>The payload of a commit's notification.</summary>
    public static string Payload(string tenantId, ulong sequence)
    {
        var sequenceText = sequence.ToString(CultureInfo.InvariantCulture);
        return System.Text.Encoding.UTF8.GetByteCount(tenantId) > MaxPayloadBytes
            ? ":" + sequenceText
            : tenantId + ":" + sequenceText;
    }

    public IChangeToken Watch(string tenantId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureStarted();
        return _tenants.GetOrAdd(tenantId, static _ => new TenantWatch()).Token(this, tenantId);
    }

    /// <summary>Whether the feed follows a tenant: it is polled, and its notifications fire its token.</summary>
    internal bool Follows(string tenantId) => _tenants.ContainsKey(tenantId);

    /// <summary>Forgets a tenant whose last watcher went away, unless someone started watching it again meanwhile.</summary>
    private void Unwatched(string tenantId, TenantWatch watch)
    {
        if (watch.Retire())
        {
            _tenants.TryRemove(KeyValuePair.Create(tenantId, watch));
        }
    }

    /// <summary>
    /// Tells <paramref name="onNotified"/> every notification of the deliveries channel (its payload), and <see langword="null"/>
    /// each time the listener (re)connects, when notifications may have been missed; starts listening if nothing did yet. The
    /// channel is listened to on the same one connection as the changes, so an instance holds one listening connection in all.
    /// </summary>
    public void ListenForDeliveries(Action<string?> onNotified)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Volatile.Write(ref _onDeliveries, onNotified);
        EnsureStarted();
    }

    /// <summary>Records the sequence the store just loaded for a tenant: nothing up to it is news.</summary>
    public void Loaded(string tenantId, ulong sequence) => _tenants.GetOrAdd(tenantId, static _ => new TenantWatch()).Observe(sequence);

    /// <summary>
    /// Records a commit made through this store and fires the tenant's token, as the in-memory store does, so that every engine
    /// sharing this store instance reloads; the engine that committed sees its own sequence and does nothing.
    /// </summary>
    public void Committed(string tenantId, ulong sequence)
    {
        var watch = _tenants.GetOrAdd(tenantId, static _ => new TenantWatch());
        watch.Observe(sequence);
        Fire(tenantId, watch);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        Dispose();
        foreach (var task in new[] { _listening, _polling })
        {
            if (task is not null)
            {
                await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _stopping.Dispose();
    }

    /// <summary>Reads the sequences of every tenant held and fires those that moved on. Returns how many fired.</summary>
    internal async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        if (_tenants.IsEmpty)
        {
            return 0;
        }

        var fired = 0;
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = new NpgsqlCommand(_pollSql, connection) { Parameters = { new() { Value = _tenants.Keys.ToArray() } } };
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (Seen(reader.GetString(0), (ulong)reader.GetInt64(1)))
                        {
                            fired++;
                        }
                    }
                }
            }
        }

        return fired;
    }

    private void EnsureStarted()
    {
        if (Interlocked.CompareExchange(ref _started, 1, 0) != 0)
        {
            return;
        }

        _listening = Task.Run(() => ListenAsync(_stopping.Token));
        _polling = Task.Run(() => PollLoopAsync(_stopping.Token));
    }

    /// <summary>Fires a tenant's token when <paramref name="sequence"/> is newer than what was last loaded or committed here.</summary>
    private bool Seen(string tenantId, ulong sequence)
    {
        if (!_tenants.TryGetValue(tenantId, out var watch) || !watch.IsNewer(sequence))
        {
            return false;
        }

        LogChangeSeen(tenantId, sequence);
        Fire(tenantId, watch);
        return true;
    }

    private void Fire(string tenantId, TenantWatch watch)
    {
        try
        {
            watch.Fire();
        }
        catch (AggregateException e)
        {
            LogWatcherFailed(tenantId, e);
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        var delay = FirstRetryDelay;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += OnNotification;
                    await ExecuteAsync(connection, $"LISTEN \"{_channel}\"; LISTEN \"{_deliveriesChannel}\"", stopping).ConfigureAwait(false);

                    // Deliveries notified while nobody listened are only in the table: the queue looks again.
                    Volatile.Read(ref _onDeliveries)?.Invoke(null);
                    var listens = Interlocked.Increment(ref _listens);
                    if (listens > 1)
                    {
                        LogListenerReconnected(_channel);
                    }

                    delay = FirstRetryDelay;

                    // Whatever was notified while nobody listened is only in the tenants' sequences.
                    await PollAsync(stopping).ConfigureAwait(false);
                    while (true)
                    {
                        if (!await connection.WaitAsync(KeepAliveInterval, stopping).ConfigureAwait(false))
                        {
                            // No notification for a while: make sure the connection is still alive rather than waiting on a dead
                            // socket. Polling covers the time a dead connection takes to notice.
                            await ExecuteAsync(connection, "SELECT 1", stopping).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // Stopping: the data source may already be gone.
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever broke the connection, listen again; polling carries the changes meanwhile.
                LogListenerFailed(_channel, delay, e);
                try
                {
                    await Task.Delay(delay, _timeProvider, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _pollInterval.Ticks));
            }
        }
    }

    private async Task PollLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_pollInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await PollAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException && !stopping.IsCancellationRequested)
                {
                    LogPollFailed(e);
                }
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        var payload = e.Payload;
        if (string.Equals(e.Channel, _deliveriesChannel, StringComparison.Ordinal))
        {
            Volatile.Read(ref _onDeliveries)?.Invoke(payload);
            return;
        }

        var colon = payload.LastIndexOf(':');
        if (colon < 0 || !ulong.TryParse(payload.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return;
        }

        if (colon == 0)
        {
            // A tenant id too long for a payload: find out which tenant moved by polling.
            _ = PollQuietlyAsync();
            return;
        }

        Seen(payload[..colon], sequence);
    }

    private async Task PollQuietlyAsync()
    {
        try
        {
            await PollAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogPollFailed(e);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "Tenant {TenantId} is at sequence {Sequence} in the database; reloading it.")]
    private partial void LogChangeSeen(string tenantId, ulong sequence);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Listening on {Channel} failed; reconnecting in {Delay}. Changes made by other instances arrive by polling until then.")]
    private partial void LogListenerFailed(string channel, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Information, Message = "Listening on {Channel} again.")]
    private partial void LogListenerReconnected(string channel);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Polling the sequences of the tenants held failed; the next poll tries again.")]
    private partial void LogPollFailed(Exception exception);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Error, Message = "A watcher of tenant {TenantId} failed when told of a change.")]
    private partial void LogWatcherFailed(string tenantId, Exception exception);

    /// <summary>
    /// One tenant held: the newest sequence loaded or committed here, the token of the next change, and how many callbacks are
    /// registered on that token. Firing starts a new token with no callbacks (watchers register again on it); disposing the last
    /// callback of the current token lets the feed forget the tenant.
    /// </summary>
    private sealed class TenantWatch
    {
        private readonly Lock _lock = new();
        private CancellationTokenSource _changed = new();
        private ulong _sequence;
        private long _generation;
        private int _callbacks;
        private bool _retired;

        public IChangeToken Token(PostgreSqlChangeFeed feed, string tenantId)
        {
            lock (_lock)
            {
                return new WatchToken(feed, tenantId, this, _changed.Token, _generation);
            }
        }

        public void Observe(ulong sequence)
        {
            lock (_lock)
            {
                if (sequence > _sequence)
                {
                    _sequence = sequence;
                }
            }
        }

        public bool IsNewer(ulong sequence)
        {
            lock (_lock)
            {
                return sequence > _sequence;
            }
        }

        public void Fire()
        {
            CancellationTokenSource fired;
            lock (_lock)
            {
                fired = _changed;
                _changed = new CancellationTokenSource();
                _generation++;
                _callbacks = 0;
            }

            // Not disposed: a watcher may still register on its token, and a plain source holds no unmanaged resources.
            fired.Cancel();
        }

        /// <summary>
        /// Counts a callback registered on the token of <paramref name="generation"/>; one on an older token has already run.
        /// Answers <see langword="false"/> when the feed has forgotten this watch: the caller fires the token, so the watcher
        /// watches again and gets the tenant's new watch.
        /// </summary>
        public bool Registered(long generation)
        {
            lock (_lock)
            {
                if (_retired)
                {
                    return false;
                }

                if (generation == _generation)
                {
                    _callbacks++;
                }

                return true;
            }
        }

        /// <summary>Uncounts a disposed callback; answers whether it was the last one on the current token.</summary>
        public bool Unregistered(long generation)
        {
            lock (_lock)
            {
                return generation == _generation && _callbacks > 0 && --_callbacks == 0;
            }
        }

        /// <summary>Marks the watch forgotten when it still has no callback; a later token of the tenant comes from a new watch.</summary>
        public bool Retire()
        {
            lock (_lock)
            {
                _retired = _callbacks == 0;
                return _retired;
            }
        }
    }

    /// <summary>A tenant's change token that tells its watch when the callbacks registered on it are disposed.</summary>
    private sealed class WatchToken(PostgreSqlChangeFeed feed, string tenantId, TenantWatch watch, CancellationToken changed, long generation) : IChangeToken
    {
        private readonly CancellationChangeToken _inner = new(changed);

        public bool HasChanged => _inner.HasChanged;

        public bool ActiveChangeCallbacks => true;

        public IDisposable RegisterChangeCallback(Action<object?> callback, object? state)
        {
            var registration = new Registration(this, _inner.RegisterChangeCallback(callback, state));
            if (!watch.Registered(generation))
            {
                // The tenant was forgotten between handing out this token and this registration: nothing fires it any more.
                watch.Fire();
            }

            return registration;
        }

        private void Disposed()
        {
            if (watch.Unregistered(generation))
            {
                feed.Unwatched(tenantId, watch);
            }
        }

        private sealed class Registration(WatchToken token, IDisposable inner) : IDisposable
        {
            private int _disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    inner.Dispose();
                    token.Disposed();
                }
            }
        }
    }
}
