using System.Collections.Concurrent;
using ActionExec.Conditions;

namespace ActionExec.Dispatch;

/// <summary>
/// Remembers which names missing from the catalog have been reported, so each is logged once. The memory is bounded: a host that
/// passes arbitrary names (a method taken from a client's path, say) must not grow it without end. Beyond
/// <see cref="Capacity"/> names nothing new is remembered; that is reported once, and the counter still counts every call.
/// </summary>
internal sealed class UnknownNames
{
    /// <summary>The most names remembered.</summary>
    public const int Capacity = 1000;

    // One set per kind, keyed by the name alone: a tuple key would box the kind to hash it, on every call.
    private readonly ConcurrentDictionary<string, byte>[] _seen =
        [.. Enumerable.Range(0, 4).Select(static _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))];
    private int _count;
    private int _full;

    /// <summary>Notes a call with a name missing from the catalog and says whether to report it.</summary>
    public Sighting Note(ConditionKind kind, string name)
    {
        var seen = _seen[(int)kind % _seen.Length];
        if (seen.ContainsKey(name))
        {
            return Sighting.Again;
        }

        // Concurrent first sightings may pass the bound by a few names; the bound is about memory, not an exact count.
        if (Volatile.Read(ref _count) >= Capacity)
        {
            return Interlocked.Exchange(ref _full, 1) == 0 ? Sighting.Full : Sighting.Again;
        }

        if (!seen.TryAdd(name, 0))
        {
            return Sighting.Again;
        }

        Interlocked.Increment(ref _count);
        return Sighting.First;
    }

    /// <summary>What to report of a sighting.</summary>
    public enum Sighting
    {
        /// <summary>Reported before, or nothing more is reported: count it only.</summary>
        Again,

        /// <summary>The first time this name is seen: report it.</summary>
        First,

        /// <summary>The memory just became full: report that later names are not reported one by one.</summary>
        Full,
    }
}
