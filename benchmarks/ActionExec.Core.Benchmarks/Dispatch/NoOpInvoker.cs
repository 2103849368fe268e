using ActionExec.Dispatch;

namespace ActionExec.Benchmarks.Dispatch;

/// <summary>
/// An <c>inproc</c> invoker that does nothing and answers 200 at once: what is left to measure is the dispatch path. One that
/// reads each request's <see cref="TargetRequest.DeliveryId"/> stands for an invoker that sends it on, as the HTTP one does.
/// </summary>
internal sealed class NoOpInvoker(bool readsDeliveryId) : ITargetInvoker
{
    /// <summary>How many calls it answered; the benchmarks check it so that they never measure a flow that skipped its targets.</summary>
    public long Calls { get; private set; }

    /// <summary>The sum of the lengths of the ids it read, so that reading them cannot be optimised away.</summary>
    public long IdChars { get; private set; }

    public ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
    {
        Calls++;
        if (readsDeliveryId)
        {
            IdChars += request.DeliveryId.Length;
        }

        return ValueTask.FromResult(TargetResponse.Ok());
    }
}
