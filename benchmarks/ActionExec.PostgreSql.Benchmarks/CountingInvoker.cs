using ActionExec.Dispatch;

namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>An <c>inproc</c> invoker that answers 200 at once and counts: what is left to measure is the queue.</summary>
internal sealed class CountingInvoker : ITargetInvoker
{
    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    public ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult(TargetResponse.Ok());
    }
}
