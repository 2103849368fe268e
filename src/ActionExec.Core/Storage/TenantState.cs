using System.Collections.Immutable;
using ActionExec.Executions;

namespace ActionExec.Storage;

/// <summary>Everything a store holds for one tenant, as of one sequence.</summary>
public sealed record TenantState
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The tenant's sequence: 0 for a tenant that never changed, then one more with every committed change.</summary>
    public ulong Sequence { get; init; }

    /// <summary>The targets of the tenant.</summary>
    public ImmutableArray<StoredTarget> Targets { get; init; } = [];

    /// <summary>The executions of the tenant.</summary>
    public ImmutableArray<Execution> Executions { get; init; } = [];

    /// <summary>An empty tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>A state with sequence 0 and nothing in it.</returns>
    public static TenantState Empty(string tenantId) => new() { TenantId = tenantId };
}
