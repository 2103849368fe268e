namespace ActionExec.Dispatch;

/// <summary>
/// Reuses the cancellation sources that carry attempts' deadlines. A source is rented unarmed and armed (<see cref="Arm"/>) only
/// when the invoker did not finish at once: an in-process invoker that completes synchronously never costs a timer. A returned
/// source whose deadline did not pass is reset (<see cref="CancellationTokenSource.TryReset"/>) and kept, its timer with it, so
/// the common attempt that ends in time allocates nothing.
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

    /// <summary>A source that is not armed yet.</summary>
    public CancellationTokenSource Rent()
    {
        var sources = _sources;
        for (var i = 0; i < sources.Length; i++)
        {
            var source = Volatile.Read(ref sources[i]);
            if (source is not null && ReferenceEquals(Interlocked.CompareExchange(ref sources[i], null, source), source))
            {
                return source;
            }
        }

        // On the system clock a source gets its timer when it is first armed, and keeps it; any other clock's timer is created
        // with the source, since CancelAfter would otherwise schedule it on the system clock.
        return time == TimeProvider.System ? new CancellationTokenSource() : new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    /// <summary>Starts the deadline of a rented source: it cancels after <paramref name="timeout"/> on the pool's clock.</summary>
    public static void Arm(CancellationTokenSource source, TimeSpan timeout) => source.CancelAfter(timeout);

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
