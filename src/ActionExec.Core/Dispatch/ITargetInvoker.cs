namespace ActionExec.Dispatch;

/// <summary>
/// Calls a target: the one extension point of the dispatch pipeline. The built-in invoker handles <c>http</c> and
/// <c>https</c> endpoints; a host registers its own for other schemes (<c>inproc</c>, a message bus, anything).
/// </summary>
/// <remarks>
/// Return a <see cref="TargetResponse"/> for every answer the target gave, whatever its status: the dispatcher
/// decides what a status means. Throw for a call that got no answer (a transport error); throw an
/// <see cref="Errors.ActionExecException"/> for a failure that must never be retried (for example a denied endpoint,
/// <see cref="Errors.ActionExecErrorCode.PermissionDenied"/>, or an oversized answer,
/// <see cref="Errors.ActionExecErrorCode.ResourceExhausted"/>). Honour the cancellation token: it carries the
/// target's timeout.
/// </remarks>
public interface ITargetInvoker
{
    /// <summary>Sends one request to a target and returns its answer.</summary>
    /// <param name="request">The target, the exact payload bytes and the delivery id.</param>
    /// <param name="cancellationToken">Cancelled when the target's timeout elapses or the caller gives up.</param>
    /// <returns>The target's answer.</returns>
    ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken);
}
