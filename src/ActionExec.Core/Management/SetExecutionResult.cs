using ActionExec.Executions;

namespace ActionExec.Management;

/// <summary>The outcome of <c>SetExecution</c>.</summary>
/// <param name="Details">
/// The details of the change; for an unchanged execution, the stored details. <see cref="ExecutionDetails.ChangeDate"/> is
/// the v2beta <c>setDate</c>.
/// </param>
/// <param name="Changed">Whether anything was written (false when the entries equalled the stored ones).</param>
public sealed record SetExecutionResult(ExecutionDetails Details, bool Changed);
