namespace ActionExec.Executions;

/// <summary>The details of a stored change (the <c>details</c> object of the v3alpha API).</summary>
/// <param name="Sequence">The tenant's sequence after the change; it increases by one with every change of the tenant.</param>
/// <param name="ChangeDate">When the change was committed, from the injected <see cref="TimeProvider"/>.</param>
/// <param name="ResourceOwner">The tenant (ZITADEL: the instance) that owns the resource.</param>
public sealed record ExecutionDetails(ulong Sequence, DateTimeOffset ChangeDate, string ResourceOwner);
