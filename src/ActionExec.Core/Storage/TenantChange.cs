using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Executions;

namespace ActionExec.Storage;

/// <summary>
/// One atomic change of a tenant, as the engine asks a store to commit it: all of it or nothing. The store
/// must refuse the change when the tenant's stored sequence is no longer <see cref="ExpectedSequence"/>
/// (optimistic concurrency), so that several host instances can share one store.
/// </summary>
public sealed record TenantChange
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The sequence the change was computed against.</summary>
    public required ulong ExpectedSequence { get; init; }

    /// <summary>The sequence after the change: <see cref="ExpectedSequence"/> + 1.</summary>
    public ulong Sequence => ExpectedSequence + 1;

    /// <summary>When the change happened.</summary>
    public required DateTimeOffset ChangeDate { get; init; }

    /// <summary>Targets created or replaced (by id).</summary>
    public ImmutableArray<StoredTarget> UpsertedTargets { get; init; } = [];

    /// <summary>Ids of targets deleted.</summary>
    public ImmutableArray<string> DeletedTargetIds { get; init; } = [];

    /// <summary>Executions created or replaced (by condition).</summary>
    public ImmutableArray<Execution> UpsertedExecutions { get; init; } = [];

    /// <summary>Conditions of executions removed.</summary>
    public ImmutableArray<Condition> DeletedExecutions { get; init; } = [];
}
