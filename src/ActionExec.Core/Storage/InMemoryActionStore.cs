using System.Collections.Concurrent;
using System.Collections.Immutable;
using ActionExec.Errors;
using ActionExec.Executions;
using Microsoft.Extensions.Primitives;

namespace ActionExec.Storage;

/// <summary>
/// The embedded default store: tenants kept in memory, each replaced wholesale on commit. Thread-safe. One
/// instance can be shared by several engines, which then see each other's changes through <see cref="Watch"/>.
/// </summary>
internal sealed class InMemoryActionStore : IActionStore
{
    private readonly ConcurrentDictionary<string, Entry> _tenants = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<TenantState> LoadAsync(string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenantId, out var entry))
        {
            return ValueTask.FromResult(TenantState.Empty(tenantId));
        }

        lock (entry)
        {
            return ValueTask.FromResult(new TenantState
            {
                TenantId = tenantId,
                Sequence = entry.Sequence,
                Targets = [.. entry.Targets.Values],
                Executions = [.. entry.Executions.Values],
            });
        }
    }

    /// <inheritdoc />
    public ValueTask<ulong> GetSequenceAsync(string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenantId, out var entry))
        {
            return ValueTask.FromResult(0UL);
        }

        lock (entry)
        {
            return ValueTask.FromResult(entry.Sequence);
        }
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(TenantChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        cancellationToken.ThrowIfCancellationRequested();
        CancellationTokenSource fired;
        var entry = _tenants.GetOrAdd(change.TenantId, static _ => new Entry());
        lock (entry)
        {
            if (entry.Sequence != change.ExpectedSequence)
            {
                throw new ActionExecException(
                    ActionExecErrorCode.Aborted,
                    $"The tenant '{change.TenantId}' was changed concurrently: its sequence is {entry.Sequence}, not {change.ExpectedSequence}; reload and retry.");
            }

            // Persistent dictionaries: a commit costs the size of the change, not the size of the tenant.
            entry.Targets = entry.Targets.RemoveRange(change.DeletedTargetIds)
                .SetItems(change.UpsertedTargets.Select(static t => KeyValuePair.Create(t.Target.Id, t)));
            entry.Executions = entry.Executions.RemoveRange(change.DeletedExecutions.Select(static c => c.Id))
                .SetItems(change.UpsertedExecutions.Select(static e => KeyValuePair.Create(e.Id, e)));
            entry.Sequence = change.Sequence;
            fired = entry.Changed;
            entry.Changed = new CancellationTokenSource();
        }

        // Not disposed: watchers may still register on its token, and a plain source holds no unmanaged resources.
        fired.Cancel();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public IChangeToken Watch(string tenantId)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        var entry = _tenants.GetOrAdd(tenantId, static _ => new Entry());
        lock (entry)
        {
            return new CancellationChangeToken(entry.Changed.Token);
        }
    }

    private sealed class Entry
    {
        public ulong Sequence { get; set; }

        public ImmutableDictionary<string, StoredTarget> Targets { get; set; } = ImmutableDictionary.Create<string, StoredTarget>(StringComparer.Ordinal);

        public ImmutableDictionary<string, Execution> Executions { get; set; } = ImmutableDictionary.Create<string, Execution>(StringComparer.Ordinal);

        public CancellationTokenSource Changed { get; set; } = new();
    }
}
