using ActionExec.Storage;
using Microsoft.Extensions.Primitives;

namespace ActionExec.Tests.Reliability;

/// <summary>An <see cref="InMemoryActionStore"/> whose commits fail while <see cref="FailCommits"/> is set, as a database that went away would.</summary>
internal sealed class FailingActionStore : IActionStore
{
    public const string Failure = "The store is unavailable: the connection to the database was lost.";

    public InMemoryActionStore Inner { get; } = new();

    public bool FailCommits { get; set; }

    public int FailedCommits { get; private set; }

    /// <summary>When set, loading this tenant fails.</summary>
    public string? FailLoadsOf { get; set; }

    public ValueTask<TenantState> LoadAsync(string tenantId, CancellationToken cancellationToken) =>
        string.Equals(tenantId, FailLoadsOf, StringComparison.Ordinal)
            ? ValueTask.FromException<TenantState>(new IOException(Failure))
            : Inner.LoadAsync(tenantId, cancellationToken);

    public ValueTask<ulong> GetSequenceAsync(string tenantId, CancellationToken cancellationToken) => Inner.GetSequenceAsync(tenantId, cancellationToken);

    public ValueTask CommitAsync(TenantChange change, CancellationToken cancellationToken)
    {
        if (FailCommits)
        {
            FailedCommits++;
            throw new IOException(Failure);
        }

        return Inner.CommitAsync(change, cancellationToken);
    }

    public IChangeToken Watch(string tenantId) => Inner.Watch(tenantId);
}
