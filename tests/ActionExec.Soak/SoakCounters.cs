using System.Collections.Concurrent;

namespace ActionExec.Soak;

/// <summary>What the soak counts while it runs. Thread-safe.</summary>
internal sealed class SoakCounters
{
    private const int KeptProblems = 5;

    private readonly ConcurrentQueue<string> _problems = new();
    private long _lookups;
    private long _flows;
    private long _mutations;
    private long _rejectedMutations;
    private long _mismatches;
    private long _unhandled;
    private long _refusedByQueue;

    public long Lookups => Interlocked.Read(ref _lookups);

    public long Flows => Interlocked.Read(ref _flows);

    public long Mutations => Interlocked.Read(ref _mutations);

    /// <summary>Writes the management service refused as it should (a missing include, a cycle): expected, not failures.</summary>
    public long RejectedMutations => Interlocked.Read(ref _rejectedMutations);

    public long Mismatches => Interlocked.Read(ref _mismatches);

    public long Unhandled => Interlocked.Read(ref _unhandled);

    /// <summary>Deliveries the callers were refused with <c>Unavailable</c>, as the callers saw it.</summary>
    public long RefusedByQueue => Interlocked.Read(ref _refusedByQueue);

    /// <summary>The first few problems, for the error output.</summary>
    public IReadOnlyList<string> Problems => [.. _problems];

    public void AddLookups(long count) => Interlocked.Add(ref _lookups, count);

    public void AddFlow() => Interlocked.Increment(ref _flows);

    public void AddMutation() => Interlocked.Increment(ref _mutations);

    public void AddRejectedMutation() => Interlocked.Increment(ref _rejectedMutations);

    public void AddRefusedByQueue() => Interlocked.Increment(ref _refusedByQueue);

    public void AddMismatch(string what)
    {
        Interlocked.Increment(ref _mismatches);
        Keep("mismatch: " + what);
    }

    public void AddUnhandled(string what)
    {
        Interlocked.Increment(ref _unhandled);
        Keep("unhandled: " + what);
    }

    private void Keep(string problem)
    {
        if (_problems.Count < KeptProblems)
        {
            _problems.Enqueue(problem);
        }
    }
}
