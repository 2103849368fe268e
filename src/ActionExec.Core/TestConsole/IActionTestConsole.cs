using ActionExec.Errors;
using ActionExec.Management;

namespace ActionExec.TestConsole;

/// <summary>
/// The action test console (Fusio's <c>POST /backend/action/execute/{action_id}</c>): runs one target, or an
/// execution's whole flattened chain, against a synthetic request, and returns what came back. A dry run: it changes no stored
/// state and enqueues nothing.
/// </summary>
/// <remarks>
/// <para>
/// <b>Checks, in order.</b> The caller must hold <see cref="ActionPermissions.TargetWrite"/> (<c>action.target.write</c>) — the
/// console sends requests to endpoints signed with the tenant's signing keys, which is as much power as creating a target that
/// points anywhere — and the <c>actions</c> feature must be enabled, as for the management service: both before the body is
/// read, so a caller without them learns nothing about its input (<see cref="ActionExecErrorCode.PermissionDenied"/>, then
/// <see cref="ActionExecErrorCode.FailedPrecondition"/>). Then the request (<see cref="ActionExecErrorCode.InvalidArgument"/>
/// with every violation), then the action id (<see cref="ActionExecErrorCode.NotFound"/> naming it).
/// </para>
/// <para>
/// <b>The action id</b> is tried as a target id, then as a target name, then as the canonical id of an existing execution
/// (<c>request/pkg.v1.Service/Method</c>, <c>event/user.human.*</c>, …). The first that exists wins, so a target named like an
/// execution id hides that execution from the console. An execution runs its flattened targets: includes resolved, under
/// <see cref="Engine.MatchPolicy.Cascade"/> with the more general levels' targets too, exactly as a call matching it would run them.
/// </para>
/// <para>
/// <b>Every target receives</b> <c>{"method", "uriFragments": {…}, "parameters": {…}, "headers": {…}, "body": …}</c>, the maps as
/// JSON objects of strings, POSTed and signed like every target call, each call with its own <c>webhook-id</c>. Async targets are
/// called and awaited here like the others, never queued.
/// </para>
/// <para>
/// <b>The answer</b> is the target's own status, headers (without hop-by-hop ones) and body, whatever its status — a 404 or a
/// 500 of the target is returned as such, as is a 200 carrying a forwarded error. A target that gave no answer (transport error,
/// denied endpoint, no invoker, an answer over the size limit) gives 500 and a timeout 504, both with
/// <c>{"success": false, "message": "target &lt;name&gt; failed: &lt;reason&gt;"}</c>; the reason names the failure, never a stack trace.
/// </para>
/// <para>
/// <b>A chain</b> runs like a flow: in order; a call target's successful JSON answer replaces <c>body</c> for the targets after
/// it; a failing target without <c>interruptOnError</c> is recorded and the chain goes on with the body unchanged. The answer is
/// that of the last target that answered (or, when none answered, of the last that ran). When a target with
/// <c>interruptOnError</c> fails, the chain stops there and the answer is that target's (its own answer, or 500/504 when it gave
/// none); the targets after it are traced as <c>skipped</c>. An execution without targets answers 200 with a <c>null</c> body and
/// an empty trace. A chain's answer carries <c>trace</c>: one row per target, in chain order.
/// </para>
/// <para>Registered by <c>AddActionExecutions</c>; host code that calls it can be unit-tested with a substitute of this interface.</para>
/// </remarks>
public interface IActionTestConsole
{
    /// <summary>Runs the target or execution <paramref name="actionId"/> names against <paramref name="request"/>.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="actionId">A target id, a target name or a canonical execution id.</param>
    /// <param name="request">The synthetic request.</param>
    /// <param name="cancellationToken">Cancels the run; not a target failure, it propagates.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ActionExecException">
    /// In this order: <see cref="ActionExecErrorCode.PermissionDenied"/>; <see cref="ActionExecErrorCode.FailedPrecondition"/> when
    /// the feature is disabled; <see cref="ActionExecErrorCode.InvalidArgument"/> for a method that is not one of the five, an empty
    /// name, a null value, or a header name or value that HTTP does not allow, with every violation and its field;
    /// <see cref="ActionExecErrorCode.NotFound"/> when <paramref name="actionId"/> names nothing. A failing target is never an
    /// exception: it is in the answer.
    /// </exception>
    ValueTask<ConsoleResponse> ExecuteAsync(ManagementCaller caller, string actionId, ConsoleRequest request, CancellationToken cancellationToken = default);
}
