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
internal sealed partial class ActionEngine : IDisposable
{
    private const int MaxCommitAttempts = 3;

    private readonly ConcurrentDictionary<string, TenantSlot> _tenants = new(StringComparer.Ordinal);
    private readonly IActionStore _store;
    private readonly ActionExecutionOptions _options;
    private readonly ILogger _logger;
    private bool _disposed;

    /// <summary>Creates an engine.</summary>
    /// <param name="store">Where targets and executions live.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger; optional.</param>
    public ActionEngine(IActionStore store, IOptions<ActionExecutionOptions> options, ILogger<ActionEngine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
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
        snapshot = _tenants.TryGetValue(tenantId, out var slot) ? slot.Snapshot : null;
        return snapshot is not null;
    }

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
        foreach (var slot in _tenants.Values)
        {
            slot.Dispose();
        }
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
        var slot = await GetSlotAsync(tenantId, cancellationToken).ConfigureAwait(false);
        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
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

    private async ValueTask<TenantSlot> GetSlotAsync(string tenantId, CancellationToken cancellationToken)
    {
        var slot = _tenants.GetOrAdd(tenantId, static id => new TenantSlot(id));
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

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Loaded tenant {TenantId} at sequence {Sequence}: {TargetCount} targets, {ExecutionCount} executions.")]
    private partial void LogTenantLoaded(string tenantId, ulong sequence, int targetCount, int executionCount);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Reloaded tenant {TenantId} at sequence {Sequence} after a change in the store.")]
    private partial void LogTenantReloaded(string tenantId, ulong sequence);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Reloading tenant {TenantId} failed; the last good snapshot stays in use.")]
    private partial void LogReloadFailed(string tenantId, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Commit to tenant {TenantId} at sequence {Sequence} lost a race with another writer (attempt {Attempt}); reloading and retrying.")]
    private partial void LogCommitConflict(string tenantId, ulong sequence, int attempt);

    private sealed class TenantSlot(string tenantId) : IDisposable
    {
        private ActionSnapshot? _snapshot;
        private IDisposable? _watch;

        public string TenantId { get; } = tenantId;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ActionSnapshot? Snapshot => Volatile.Read(ref _snapshot);

        public void Publish(ActionSnapshot snapshot) => Interlocked.Exchange(ref _snapshot, snapshot);

        public void Watch(IActionStore store, ActionEngine engine)
        {
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

        public void Dispose()
        {
            _watch?.Dispose();
            Gate.Dispose();
        }
    }
}
