using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using ActionExec.Conditions;

namespace ActionExec.Matching;

/// <summary>
/// The compiled matcher (the most specific existing execution, at segment boundaries): the same answers as <see cref="NaiveMatcher"/> (whose remarks define
/// the rules exactly), at a cost proportional to the length of the value and independent of the number of
/// conditions, without allocating.
/// </summary>
/// <remarks>
/// <para>Every keyed condition (method, service, function, event, group) is one entry of a single
/// open-addressing table, keyed by (key kind, hash, length) and verified against the key's characters in a
/// shared character pool. Method keys are stored without their leading <c>/</c> and the lookup drops the
/// value's own leading <c>/</c>, so a value with or without it hashes the same characters and nothing is
/// concatenated.</para>
/// <para>A probe is made only when some key of that kind has the probed length (a bit set per kind), so
/// texts of other lengths are not even hashed. Request and response: one probe with the whole value (the
/// exact method); on a miss one probe with the service segment; then the <c>all</c> condition. Event: a single forward pass over the value, probing
/// the prefix before each <c>.</c> as a group (the hash state is carried from one prefix to the next, so the
/// pass stays linear however many dots there are) and the whole value as an event at the end; the exact
/// event wins over the last (longest) group hit.</para>
/// <para>The hash is seeded from a cryptographic random source per matcher, so the layout of the table, and
/// any collision in it, cannot be worked out in advance. Immutable after <see cref="Build(ReadOnlySpan{Condition})"/>;
/// safe for any number of concurrent readers.</para>
/// </remarks>
internal sealed class ConditionMatcher
{
    // Key kinds. The kind is part of the hash and of the stored entry, so equal texts of different kinds
    // (a request and a response method) never meet.
    private const int RequestMethodKey = 1;
    private const int RequestServiceKey = 2;
    private const int ResponseMethodKey = 3;
    private const int ResponseServiceKey = 4;
    private const int FunctionKey = 5;
    private const int EventKey = 6;
    private const int GroupKey = 7;
    private const int KeyKindCount = 8;
    private const int KeyKindBits = 3;

    // Words of the length set of one key kind: one bit per possible key length.
    private const int LengthWords = (ConditionRules.MaxValueLength / 64) + 1;

    // A chunk is 8 characters, read as two 64-bit words.
    private const int ChunkChars = 8;

    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly char[] _pool;
    private readonly ulong[] _lengths;
    private readonly int _minGroupLength;
    private readonly int _maxGroupLength;
    private readonly int _allRequests;
    private readonly int _allResponses;
    private readonly int _allEvents;
    private readonly ulong[] _keys;

    private ConditionMatcher(ReadOnlySpan<Condition> conditions, ulong seed)
    {
        _allRequests = -1;
        _allResponses = -1;
        _allEvents = -1;
        _lengths = new ulong[KeyKindCount * LengthWords];
        _minGroupLength = int.MaxValue;

        var keys = 0;
        var chars = 0;
        var longest = 0;
        for (var i = 0; i < conditions.Length; i++)
        {
            var condition = conditions[i] ?? throw new ArgumentException($"The condition at index {i} is null; pass only conditions.", nameof(conditions));
            if (condition.Scope != ConditionScope.All)
            {
                keys++;
                chars += condition.Value!.Length;
                longest = Math.Max(longest, condition.Value.Length);
            }
        }

        // One pair of random words per chunk position of the longest key: a text is never hashed unless some
        // key of its kind has its length.
        _keys = new ulong[2 * (ChunksBefore(longest) + 1)];
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = SplitMix(ref seed);
        }

        // A load factor of at most one half keeps probe sequences short, for hits and misses alike.
        var capacity = 4;
        while (capacity < keys * 2)
        {
            capacity *= 2;
        }

        _slots = new Slot[capacity];
        _mask = capacity - 1;
        _pool = new char[chars];

        var poolLength = 0;
        for (var i = 0; i < conditions.Length; i++)
        {
            var condition = conditions[i];
            switch (condition.Kind, condition.Scope)
            {
                case (ConditionKind.Request, ConditionScope.All):
                    _allRequests = _allRequests < 0 ? i : _allRequests;
                    break;
                case (ConditionKind.Response, ConditionScope.All):
                    _allResponses = _allResponses < 0 ? i : _allResponses;
                    break;
                case (ConditionKind.Event, ConditionScope.All):
                    _allEvents = _allEvents < 0 ? i : _allEvents;
                    break;
                case (ConditionKind.Request, ConditionScope.Method):
                    Add(condition.Value.AsSpan(1), RequestMethodKey, i, ref poolLength);
                    break;
                case (ConditionKind.Response, ConditionScope.Method):
                    Add(condition.Value.AsSpan(1), ResponseMethodKey, i, ref poolLength);
                    break;
                case (ConditionKind.Request, ConditionScope.Service):
                    Add(condition.Value, RequestServiceKey, i, ref poolLength);
                    break;
                case (ConditionKind.Response, ConditionScope.Service):
                    Add(condition.Value, ResponseServiceKey, i, ref poolLength);
                    break;
                case (ConditionKind.Function, _):
                    Add(condition.Value, FunctionKey, i, ref poolLength);
                    break;
                case (ConditionKind.Event, ConditionScope.Event):
                    Add(condition.Value, EventKey, i, ref poolLength);
                    break;
                case (ConditionKind.Event, ConditionScope.Group):
                    Add(condition.Value, GroupKey, i, ref poolLength);
                    _minGroupLength = Math.Min(_minGroupLength, condition.Value!.Length);
                    _maxGroupLength = Math.Max(_maxGroupLength, condition.Value.Length);
                    break;
            }
        }
    }

    /// <summary>Compiles the conditions into a matcher with a random hash seed.</summary>
    /// <param name="conditions">The conditions, in order; duplicates are allowed (the first one wins).</param>
    /// <returns>The matcher; the indexes <see cref="Match"/> returns refer to <paramref name="conditions"/>.</returns>
    /// <exception cref="ArgumentException">An element of <paramref name="conditions"/> is null.</exception>
    public static ConditionMatcher Build(ReadOnlySpan<Condition> conditions)
    {
        Span<byte> seed = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(seed);
        return new ConditionMatcher(conditions, MemoryMarshal.Read<ulong>(seed));
    }

    /// <summary>Compiles the conditions with a given hash seed, so a test can repeat a table layout.</summary>
    /// <param name="conditions">The conditions, in order; duplicates are allowed (the first one wins).</param>
    /// <param name="seed">The hash seed.</param>
    /// <returns>The matcher.</returns>
    /// <exception cref="ArgumentException">An element of <paramref name="conditions"/> is null.</exception>
    internal static ConditionMatcher Build(ReadOnlySpan<Condition> conditions, ulong seed) => new(conditions, seed);

    /// <summary>Finds the best match for a value, by the rules of <see cref="NaiveMatcher"/>; allocates nothing.</summary>
    /// <param name="kind">The kind of call.</param>
    /// <param name="value">The full method, the event type or the function name.</param>
    /// <returns>The index of the matched condition in the input of <see cref="Build(ReadOnlySpan{Condition})"/>, or -1.</returns>
    public int Match(ConditionKind kind, ReadOnlySpan<char> value) => kind switch
    {
        ConditionKind.Request => MatchMethod(value, RequestMethodKey, RequestServiceKey, _allRequests),
        ConditionKind.Response => MatchMethod(value, ResponseMethodKey, ResponseServiceKey, _allResponses),
        ConditionKind.Event => MatchEvent(value),
        ConditionKind.Function => HasLength(FunctionKey, value.Length) ? Find(value, FunctionKey, Hash(value, FunctionKey)) : -1,
        _ => -1,
    };

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // The 128-bit product folded to 64 bits: every input bit reaches every output bit. The high half is
    // taken with the processor's own instruction where there is one, because the portable form passes
    // the low half through memory.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong a, ulong b)
    {
        if (Bmi2.X64.IsSupported)
        {
            return Bmi2.X64.MultiplyNoFlags(a, b) ^ (a * b);
        }

        if (ArmBase.Arm64.IsSupported)
        {
            return ArmBase.Arm64.MultiplyHigh(a, b) ^ (a * b);
        }

        var high = Math.BigMul(a, b, out var low);
        return high ^ low;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Read64(ref char start, int index) =>
        Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<char, byte>(ref Unsafe.Add(ref start, index)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Read32(ref char start, int index) =>
        Unsafe.ReadUnaligned<uint>(ref Unsafe.As<char, byte>(ref Unsafe.Add(ref start, index)));

    // How many whole chunks the hash of a text of this length sums before its final chunk: the final
    // chunk always covers the last 1 to 8 characters, so a prefix's hash needs only the chunks that lie
    // wholly inside the prefix and the prefix's own last characters.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ChunksBefore(int length) => length <= ChunkChars ? 0 : (length - 1) / ChunkChars;

    private int MatchMethod(ReadOnlySpan<char> value, int methodKey, int serviceKey, int all)
    {
        // The stored method keys have no leading '/', so a value with and without one compares alike.
        var path = !value.IsEmpty && value[0] == '/' ? value[1..] : value;
        if (HasLength(methodKey, path.Length))
        {
            var exact = Find(path, methodKey, Hash(path, methodKey));
            if (exact >= 0)
            {
                return exact;
            }
        }

        var slash = path.IndexOf('/');
        if (slash > 0 && HasLength(serviceKey, slash))
        {
            var service = path[..slash];
            var match = Find(service, serviceKey, Hash(service, serviceKey));
            if (match >= 0)
            {
                return match;
            }
        }

        return all;
    }

    private int MatchEvent(ReadOnlySpan<char> value)
    {
        ref var start = ref MemoryMarshal.GetReference(value);
        var sum = 0UL;
        var summed = 0;
        var group = -1;

        // A dot at index i ends the prefix of length i; only lengths some group has are probed, so the scan
        // starts at the shortest group and stops after the longest.
        var end = Math.Min(value.Length, _maxGroupLength + 1);
        for (var dot = _minGroupLength; dot < end; dot++)
        {
            if (value[dot] == '.' && HasLength(GroupKey, dot))
            {
                var chunks = ChunksBefore(dot);
                sum = Sum(sum, ref start, summed, chunks);
                summed = chunks;
                var hit = Find(value[..dot], GroupKey, Finish(sum, ref start, dot, GroupKey));
                group = hit >= 0 ? hit : group;
            }
        }

        if (HasLength(EventKey, value.Length))
        {
            sum = Sum(sum, ref start, summed, ChunksBefore(value.Length));
            var exact = Find(value, EventKey, Finish(sum, ref start, value.Length, EventKey));
            if (exact >= 0)
            {
                return exact;
            }
        }

        return group >= 0 ? group : _allEvents;
    }

    // Whether some key of the kind has this length: a text of any other length cannot match, and is not
    // hashed. In a small tenant this skips most probes; it also bounds every hashed text by the longest key.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool HasLength(int keyKind, int length) =>
        (uint)length <= ConditionRules.MaxValueLength && (_lengths[(keyKind * LengthWords) + (length >> 6)] & (1UL << length)) != 0;

    private ulong Hash(ReadOnlySpan<char> text, int keyKind)
    {
        ref var start = ref MemoryMarshal.GetReference(text);
        return Finish(Sum(0, ref start, 0, ChunksBefore(text.Length)), ref start, text.Length, keyKind);
    }

    // Each chunk is mixed with the random words of its position, independently of the others, so the
    // multiplications of a text overlap in the processor instead of waiting on one another; the sum of
    // a prefix carries over to the next prefix.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Sum(ulong sum, ref char start, int fromChunk, int toChunk)
    {
        var keys = _keys;
        for (var chunk = fromChunk; chunk < toChunk; chunk++)
        {
            var offset = chunk * ChunkChars;
            sum += Mix(Read64(ref start, offset) ^ keys[2 * chunk], Read64(ref start, offset + 4) ^ keys[(2 * chunk) + 1]);
        }

        return sum;
    }

    // The final chunk of a text of at least 8 characters is its last 8 (overlapping the summed chunks when
    // the length is not a multiple of 8); shorter texts read their first and last 4, 2 or 1 characters.
    // Length and key kind go into the final chunk, so overlapping reads cannot make two texts equal.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Finish(ulong sum, ref char start, int length, int keyKind)
    {
        ulong first;
        ulong last;
        if (length >= ChunkChars)
        {
            first = Read64(ref start, length - 8);
            last = Read64(ref start, length - 4);
        }
        else if (length >= 4)
        {
            first = Read64(ref start, 0);
            last = Read64(ref start, length - 4);
        }
        else if (length >= 2)
        {
            first = Read32(ref start, 0);
            last = Read32(ref start, length - 2);
        }
        else
        {
            first = length == 1 ? start : 0UL;
            last = 0;
        }

        var chunk = ChunksBefore(length);
        var lengthAndKind = ((ulong)(uint)length << KeyKindBits) | (uint)keyKind;
        return sum + Mix(first ^ _keys[2 * chunk] ^ lengthAndKind, last ^ _keys[(2 * chunk) + 1]);
    }

    private int Find(ReadOnlySpan<char> key, int keyKind, ulong hash)
    {
        var tag = (uint)(hash >> 32);
        var lengthAndKind = (key.Length << KeyKindBits) | keyKind;
        var slots = _slots;
        var index = (int)hash & _mask;
        while (true)
        {
            ref readonly var slot = ref slots[index];
            if (slot.LengthAndKind == 0)
            {
                return -1;
            }

            if (slot.Tag == tag && slot.LengthAndKind == lengthAndKind && _pool.AsSpan(slot.PoolStart, key.Length).SequenceEqual(key))
            {
                return slot.Condition;
            }

            index = (index + 1) & _mask;
        }
    }

    private void Add(ReadOnlySpan<char> key, int keyKind, int condition, ref int poolLength)
    {
        Debug.Assert(!key.IsEmpty, "Conditions are validated: no key is empty.");
        var hash = Hash(key, keyKind);
        var tag = (uint)(hash >> 32);
        var lengthAndKind = (key.Length << KeyKindBits) | keyKind;
        var index = (int)hash & _mask;
        while (_slots[index].LengthAndKind != 0)
        {
            ref readonly var slot = ref _slots[index];
            if (slot.Tag == tag && slot.LengthAndKind == lengthAndKind && _pool.AsSpan(slot.PoolStart, key.Length).SequenceEqual(key))
            {
                // The same condition twice: the first one stays, as in the reference matcher.
                return;
            }

            index = (index + 1) & _mask;
        }

        key.CopyTo(_pool.AsSpan(poolLength));
        _slots[index] = new Slot(tag, condition, poolLength, lengthAndKind);
        poolLength += key.Length;
        _lengths[(keyKind * LengthWords) + (key.Length >> 6)] |= 1UL << key.Length;
    }

    /// <summary>One table entry; an empty slot has <see cref="LengthAndKind"/> 0 (no key is empty).</summary>
    [StructLayout(LayoutKind.Auto)]
    private readonly record struct Slot(uint Tag, int Condition, int PoolStart, int LengthAndKind);
}
