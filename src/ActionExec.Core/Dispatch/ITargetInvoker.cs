namespace ActionExec.Dispatch;

/// <summary>
/// Calls a target: the one extension point of the dispatch pipeline. The built-in invoker handles <c>http</c> and
/// <c>https</c> endpoints; a host registers its own for other schemes (<c>inproc</c>, a message bus, anything).
/// </summary>
/// <remarks>
/// Return the outcome, never throw it: a <see cref="TargetResponse"/> for every answer the target gave, whatever its status (the
/// dispatcher decides what a status, a body or a forwarded error means), and <see cref="TargetResponse.Failed"/> when there is no
/// answer to return: <see cref="TargetFailureKind.Transport"/> (retried in the background), <see cref="TargetFailureKind.Timeout"/>,
/// <see cref="TargetFailureKind.ResponseTooLarge"/> and <see cref="TargetFailureKind.Denied"/> (never retried). Honour the
/// cancellation token: it carries the target's timeout, and an invoker still running when it fires is abandoned and the attempt
/// counted as a timeout. An invoker that throws anyway is taken as a transport failure. A test of an invoker builds its
/// <see cref="TargetRequest"/> with the public constructor.
/// </remarks>
public interface ITargetInvoker
{
    /// <summary>Sends one request to a target and returns its answer.</summary>
    /// <param name="request">The target, the exact payload bytes and the delivery id.</param>
    /// <param name="cancellationToken">Cancelled when the target's timeout elapses or the caller gives up.</param>
    /// <returns>The target's answer, or a typed failure.</returns>
    ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken);
}
