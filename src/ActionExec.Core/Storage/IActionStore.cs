using ActionExec.Errors;
using Microsoft.Extensions.Primitives;

namespace ActionExec.Storage;

/// <summary>
/// Where targets and executions live. The engine loads a tenant once, keeps a compiled snapshot of it, and
/// writes every change through <see cref="CommitAsync"/>. The in-memory store is the default; a database
/// store shared by several host instances implements the same four members.
/// </summary>
public interface IActionStore
{
    /// <summary>Loads everything the store holds for a tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The tenant's state; an empty state with sequence 0 for a tenant the store has never seen.</returns>
    ValueTask<TenantState> LoadAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Reads only a tenant's sequence: the cheap check that tells whether a loaded snapshot is current.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tenant's stored sequence; 0 for a tenant the store has never seen.</returns>
    ValueTask<ulong> GetSequenceAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Commits a change atomically: all of it or nothing.</summary>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the commit; a cancelled commit must leave nothing written.</param>
    /// <returns>A task that completes when the change is durable.</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.Aborted"/> when the tenant's stored sequence is not
    /// <see cref="TenantChange.ExpectedSequence"/>: another writer changed the tenant first.
    /// </exception>
    ValueTask CommitAsync(TenantChange change, CancellationToken cancellationToken);

    /// <summary>
    /// Returns a token that fires when the tenant changes in the store by any writer (for example another host
    /// instance), so the engine can reload. A store that cannot notify returns a token that never fires
    /// (for example <c>NullChangeToken.Singleton</c>); the engine still detects conflicts when it commits.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>A change token.</returns>
    IChangeToken Watch(string tenantId);
}
