using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using ActionExec.Errors;
using ActionExec.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ActionExec.Engine;

/// <summary>
/// Owns the compiled snapshot of every tenant. Readers take the published snapshot without locking; writers to
/// one tenant are serialised, commit through the <see cref="IActionStore"/> with optimistic concurrency, and
/// publish the new snapshot with one reference swap before they return, so the very next lookup sees the change.
/// When the store reports a change made elsewhere (another host instance), the tenant is reloaded.
/// </summary>
/// <remarks>
/// A tenant unused for <see cref="ActionExecutionOptions.TenantIdleTimeout"/> is evicted: its snapshot is dropped and its watch
/// on the store disposed, so a store that polls for changes no longer polls for it; the next use loads it again. A lookup records
/// use by setting a flag that is already set almost every time (one read, no write, no lock); a sweep on a timer clears the flags
/// and evicts the tenants whose flag stayed clear for the idle time.
/// </remarks>
internal sealed partial class ActionEngine : IDisposable
{
    private const int MaxCommitAttempts = 3;

    /// <summary>The longest time between two sweeps, so a long idle timeout still evicts close to its time.</summary>
    private static readonly TimeSpan MaxSweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, TenantSlot> _tenants = new(StringComparer.Ordinal);
    private readonly IActionStore _store;
    private readonly ActionExecutionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _sweepLock = new();
    private ITimer? _sweeper;
    private bool _disposed;

    /// <summary>Creates an engine.</summary>
    /// <param name="store">Where targets and executions live.</param>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock of the idle-tenant sweep; <see cref="TimeProvider.System"/> when omitted.</param>
    /// <param name="logger">The logger; optional.</param>
    public ActionEngine(IActionStore store, IOptions<ActionExecutionOptions> options, TimeProvider? timeProvider = null, ILogger<ActionEngine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The options the engine runs with.</summary>
    public ActionExecutionOptions Options => _options;

    /// <summary>Gets a tenant's snapshot when it is already loaded. Never blocks and never allocates.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="snapshot">The published snapshot.</param>
    /// <returns><see langword="true"/> when the tenant is loaded.</returns>
    public bool TryGetSnapshot(string tenantId, [NotNullWhen(true)] out ActionSnapshot? snapshot)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        if (_tenants.TryGetValue(tenantId, out var slot))
        {
            slot.MarkUsed();
            snapshot = slot.Snapshot;
        }
        else
        {
            snapshot = null;
        }

        return snapshot is not null;
    }

    /// <summary>How many tenants are loaded now.</summary>
    internal int LoadedTenantCount => _tenants.Count;

    /// <summary>Gets a tenant's snapshot, loading the tenant from the store on first use. Completes synchronously once loaded.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels a load.</param>
    /// <returns>The published snapshot.</returns>
    public ValueTask<ActionSnapshot> GetSnapshotAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return TryGetSnapshot(tenantId, out var snapshot)
            ? ValueTask.FromResult(snapshot)
            : LoadSlowAsync(tenantId, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_sweepLock)
        {
            _sweeper?.Dispose();
        }

        foreach (var slot in _tenants.Values)
        {
            slot.Dispose();
        }
    }

    /// <summary>
    /// Evicts every loaded tenant that was not used since the sweep that last saw it used, at least
    /// <see cref="ActionExecutionOptions.TenantIdleTimeout"/> ago. Runs on the sweep timer; a tenant being loaded, reloaded or
    /// written is never evicted.
    /// </summary>
    /// <returns>How many tenants were evicted.</returns>
    internal int SweepIdleTenants()
    {
        var idleTimeout = _options.TenantIdleTimeout;
        var now = _timeProvider.GetTimestamp();
        var evicted = 0;
        foreach (var (tenantId, slot) in _tenants)
        {
            if (_disposed)
            {
                break;
            }

            if (slot.TakeUsed())
            {
                slot.LastSeenUsed = now;
                continue;
            }

            var idle = _timeProvider.GetElapsedTime(slot.LastSeenUsed, now);
            if (idle >= idleTimeout && TryEvict(tenantId, slot))
            {
                evicted++;
                LogTenantEvicted(tenantId, idle);
            }
        }

        return evicted;
    }

    /// <summary>
    /// Runs a write against a tenant: <paramref name="decide"/> sees the current snapshot and returns the result
    /// and, when something must change, the change. The change is compiled into a new snapshot first (so a
    /// failure leaves everything as it was), then committed, then published. A commit that loses a race with
    /// another writer reloads the tenant and decides again.
    /// </summary>
    internal async ValueTask<TResult> WriteAsync<TResult>(
        string tenantId,
        Func<ActionSnapshot, (TResult Result, TenantChange? Change)> decide,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var slot = await EnterSlotAsync(tenantId, cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var current = slot.Snapshot!;
                var (result, change) = decide(current);
                if (change is null)
                {
                    return result;
                }

                var next = current.Apply(change);
                try
                {
                    await _store.CommitAsync(change, cancellationToken).ConfigureAwait(false);
                }
                catch (ActionExecException e) when (e.Code == ActionExecErrorCode.Aborted && attempt < MaxCommitAttempts)
                {
                    LogCommitConflict(tenantId, change.ExpectedSequence, attempt);
                    slot.Publish(await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false));
                    continue;
                }

                slot.Publish(next);
                return result;
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async ValueTask<ActionSnapshot> LoadSlowAsync(string tenantId, CancellationToken cancellationToken) =>
        (await GetSlotAsync(tenantId, cancellationToken).ConfigureAwait(false)).Snapshot!;

    /// <summary>Gets a tenant's loaded slot and enters its gate; a slot evicted meanwhile is replaced by a fresh load.</summary>
    private async ValueTask<TenantSlot> EnterSlotAsync(string tenantId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var slot = await GetSlotAsync(tenantId, cancellationToken).ConfigureAwait(false);
            await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!slot.IsEvicted)
            {
                return slot;
            }

            slot.Gate.Release();
        }
    }

    private async ValueTask<TenantSlot> GetSlotAsync(string tenantId, CancellationToken cancellationToken)
    {
        var slot = _tenants.GetOrAdd(tenantId, static id => new TenantSlot(id));
        slot.MarkUsed();
        if (slot.Snapshot is not null)
        {
            return slot;
        }

        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (slot.Snapshot is null)
            {
                slot.Publish(await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false));
                slot.Watch(_store, this);
                EnsureSweeping();
            }
        }
        finally
        {
            slot.Gate.Release();
        }

        return slot;
    }

    private async ValueTask<ActionSnapshot> LoadAsync(string tenantId, CancellationToken cancellationToken)
    {
        var state = await _store.LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var snapshot = ActionSnapshot.Create(state, _options.MatchPolicy);
        LogTenantLoaded(tenantId, snapshot.Sequence, snapshot.TargetCount, snapshot.ExecutionCount);
        return snapshot;
    }

    /// <summary>Reloads a tenant after the store reported a change, unless the engine already published it.</summary>
    private async Task RefreshAsync(TenantSlot slot)
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await slot.Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (slot.IsEvicted)
                {
                    return;
                }

                // The engine's own commits fire the token too; the sequence check keeps them from causing a reload.
                var sequence = await _store.GetSequenceAsync(slot.TenantId, CancellationToken.None).ConfigureAwait(false);
                if (sequence != slot.Snapshot!.Sequence)
                {
                    var snapshot = await LoadAsync(slot.TenantId, CancellationToken.None).ConfigureAwait(false);
                    slot.Publish(snapshot);
                    LogTenantReloaded(slot.TenantId, snapshot.Sequence);
                }
            }
            finally
            {
                slot.Gate.Release();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The last good snapshot stays published; the next write detects the conflict and reloads.
            LogReloadFailed(slot.TenantId, e);
        }
    }

    /// <summary>Starts the sweep timer with the first tenant loaded, so an engine that never loads one runs no timer.</summary>
    private void EnsureSweeping()
    {
        var idleTimeout = _options.TenantIdleTimeout;
        if (Volatile.Read(ref _sweeper) is not null || idleTimeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        lock (_sweepLock)
        {
            if (_sweeper is null && !_disposed)
            {
                var interval = TimeSpan.FromTicks(Math.Min(idleTimeout.Ticks / 4, MaxSweepInterval.Ticks));
                Volatile.Write(ref _sweeper, _timeProvider.CreateTimer(static state => ((ActionEngine)state!).SweepQuietly(), this, interval, interval));
            }
        }
    }

    private void SweepQuietly()
    {
        try
        {
            SweepIdleTenants();
        }
        catch (ObjectDisposedException) when (_disposed)
        {
            // The engine was disposed during the sweep: there is nothing left to evict.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A sweep that failed leaves tenants loaded; the next one tries again.
            LogSweepFailed(e);
        }
    }

    /// <summary>Evicts a tenant unless it is in use: its gate is taken (a load, reload or write) or it was used since the check.</summary>
    private bool TryEvict(string tenantId, TenantSlot slot)
    {
        if (!slot.Gate.Wait(0))
        {
            return false;
        }

        try
        {
            if (slot.Snapshot is null || slot.IsUsed || !_tenants.TryRemove(KeyValuePair.Create(tenantId, slot)))
            {
                return false;
            }

            // A lookup that found the slot just before it was removed still gets a whole snapshot; the next one loads the
            // tenant again. A writer waiting on the gate sees the eviction and starts over with a fresh slot.
            slot.Evict();
            return true;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Loaded tenant {TenantId} at sequence {Sequence}: {TargetCount} targets, {ExecutionCount} executions.")]
    private partial void LogTenantLoaded(string tenantId, ulong sequence, int targetCount, int executionCount);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Reloaded tenant {TenantId} at sequence {Sequence} after a change in the store.")]
    private partial void LogTenantReloaded(string tenantId, ulong sequence);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Reloading tenant {TenantId} failed; the last good snapshot stays in use.")]
    private partial void LogReloadFailed(string tenantId, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Commit to tenant {TenantId} at sequence {Sequence} lost a race with another writer (attempt {Attempt}); reloading and retrying.")]
    private partial void LogCommitConflict(string tenantId, ulong sequence, int attempt);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Evicted tenant {TenantId}, unused for {Idle}; its next use loads it again.")]
    private partial void LogTenantEvicted(string tenantId, TimeSpan idle);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Sweeping idle tenants failed; they stay loaded until the next sweep.")]
    private partial void LogSweepFailed(Exception exception);

    private sealed class TenantSlot(string tenantId) : IDisposable
    {
        private readonly Lock _watchLock = new();
        private ActionSnapshot? _snapshot;
        private IDisposable? _watch;
        private bool _used = true;
        private bool _evicted;

        public string TenantId { get; } = tenantId;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ActionSnapshot? Snapshot => Volatile.Read(ref _snapshot);

        /// <summary>When a sweep last found the slot used (a <see cref="TimeProvider"/> timestamp). Read and written by the sweep only.</summary>
        public long LastSeenUsed { get; set; }

        public bool IsUsed => Volatile.Read(ref _used);

        public bool IsEvicted => Volatile.Read(ref _evicted);

        public void Publish(ActionSnapshot snapshot) => Interlocked.Exchange(ref _snapshot, snapshot);

        /// <summary>Records a use. Only the first use after a sweep writes; every other is one read of a flag already set.</summary>
        public void MarkUsed()
        {
            if (!Volatile.Read(ref _used))
            {
                Volatile.Write(ref _used, true);
            }
        }

        /// <summary>Whether the slot was used since the last sweep; clears the flag for the next.</summary>
        public bool TakeUsed()
        {
            if (!Volatile.Read(ref _used))
            {
                return false;
            }

            Volatile.Write(ref _used, false);
            return true;
        }

        public void Watch(IActionStore store, ActionEngine engine)
        {
            lock (_watchLock)
            {
                // The store's callback re-watches after every change; once evicted, the slot must not watch again.
                if (_evicted)
                {
                    return;
                }

                var token = store.Watch(TenantId);
                _watch = token.ActiveChangeCallbacks
                    ? token.RegisterChangeCallback(
                        static state =>
                        {
                            var (slot, store, engine) = ((TenantSlot, IActionStore, ActionEngine))state!;
                            slot.Watch(store, engine);
                            _ = engine.RefreshAsync(slot);
                        },
                        (this, store, engine))
                    : null;
            }
        }

        /// <summary>Stops watching the store. The gate stays usable: a writer already waiting on it sees the eviction.</summary>
        public void Evict()
        {
            IDisposable? watch;
            lock (_watchLock)
            {
                Volatile.Write(ref _evicted, true);
                watch = _watch;
                _watch = null;
            }

            watch?.Dispose();
        }

        public void Dispose()
        {
            Evict();
            Gate.Dispose();
        }
    }
}
