namespace ActionExec.Dispatch;

/// <summary>
/// Reuses the cancellation sources that carry attempts' deadlines. Creating a source with a timeout creates and schedules a
/// timer; a returned source whose deadline did not pass is reset (<see cref="CancellationTokenSource.TryReset"/>) and its
/// timer rescheduled by the next <see cref="Rent"/>, so the common attempt that ends in time allocates nothing.
/// </summary>
/// <remarks>
/// A source is returned only once the invoker that was given its token has finished; an invoker that keeps using the token
/// after that breaks the <see cref="ITargetInvoker"/> contract. A source that was cancelled, or whose timer cannot be reset
/// (a <see cref="TimeProvider"/> other than the system's), is disposed instead. At most a few sources are kept: beyond that,
/// concurrent attempts create and dispose their own, as they would without the pool.
/// </remarks>
internal sealed class DeadlinePool(TimeProvider time)
{
    private readonly CancellationTokenSource?[] _sources = new CancellationTokenSource?[Math.Clamp(Environment.ProcessorCount * 2, 4, 64)];

    /// <summary>A source that cancels after <paramref name="timeout"/> on the pool's clock.</summary>
    public CancellationTokenSource Rent(TimeSpan timeout)
    {
        var sources = _sources;
        for (var i = 0; i < sources.Length; i++)
        {
            var source = Volatile.Read(ref sources[i]);
            if (source is not null && ReferenceEquals(Interlocked.CompareExchange(ref sources[i], null, source), source))
            {
                source.CancelAfter(timeout);
                return source;
            }
        }

        return new CancellationTokenSource(timeout, time);
    }

    /// <summary>Takes back a source whose token nobody uses any more.</summary>
    public void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            var sources = _sources;
            for (var i = 0; i < sources.Length; i++)
            {
                if (Volatile.Read(ref sources[i]) is null && Interlocked.CompareExchange(ref sources[i], source, null) is null)
                {
                    return;
                }
            }
        }

        source.Dispose();
    }
}
