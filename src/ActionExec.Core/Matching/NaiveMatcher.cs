using ActionExec.Conditions;

namespace ActionExec.Matching;

/// <summary>
/// The reference matcher: for each of <see cref="ConditionCandidates.Of"/>, most specific first, a linear scan over the
/// conditions, written to be obviously right rather than fast. <see cref="ConditionMatcher"/> must give exactly the same answers; the conformance tests hold
/// both to that, and the benchmarks use this one to show what the compiled matcher saves.
/// </summary>
/// <remarks>
/// <para><see cref="Match"/> returns the index, in the array given to <see cref="Build"/>, of the single best
/// match, or -1. When the same condition occurs more than once, the first occurrence is the one returned.</para>
/// <para><b>Request and response</b> (each kind sees only its own conditions): let <c>m</c> be the value with a
/// leading <c>/</c> added when it has none (so the empty value becomes <c>/</c>).</para>
/// <list type="number">
/// <item>the method condition whose <see cref="Condition.Value"/> equals <c>m</c> (ordinal);</item>
/// <item>else, when <c>m</c> has the form <c>/S/…</c> (a second <c>/</c> follows the first) and the service
/// <c>S</c> between the first and the second <c>/</c> is not empty, the service condition whose value equals
/// <c>S</c>: whole segments, so service <c>pkg.Svc</c> does not match <c>/pkg.SvcV2/M</c>, and <c>/S</c> alone
/// names no service;</item>
/// <item>else the <c>all</c> condition of the kind;</item>
/// <item>else -1.</item>
/// </list>
/// <para><b>Event</b>:</para>
/// <list type="number">
/// <item>the event condition whose value equals the value;</item>
/// <item>else, of the group conditions <c>g</c> (stored without <c>.*</c>) for which the value starts with
/// <c>g</c> followed by <c>.</c>, the longest: group <c>user.human</c> matches <c>user.human.added</c> but
/// neither <c>user.humanoid.added</c> nor the event <c>user.human</c> itself;</item>
/// <item>else the <c>all</c> event condition;</item>
/// <item>else -1.</item>
/// </list>
/// <para>An event condition matches only its own type: <c>foo.bar</c> does not match <c>foo.bar.baz</c>.</para>
/// <para><b>Function</b>: the function condition whose name equals the value, else -1.</para>
/// <para>Values are not validated: a malformed value (<c>""</c>, <c>/</c>, <c>//</c>, <c>user..x</c>) simply
/// matches what the rules above say, usually the <c>all</c> condition or nothing. An unknown kind matches nothing.</para>
/// </remarks>
internal sealed class NaiveMatcher
{
    private readonly Condition[] _conditions;

    private NaiveMatcher(Condition[] conditions) => _conditions = conditions;

    /// <summary>Copies the conditions; the indexes <see cref="Match"/> returns refer to this input.</summary>
    /// <param name="conditions">The conditions, in order; duplicates are allowed (the first one wins).</param>
    /// <returns>The matcher.</returns>
    /// <exception cref="ArgumentException">An element of <paramref name="conditions"/> is null.</exception>
    public static NaiveMatcher Build(ReadOnlySpan<Condition> conditions)
    {
        var copy = conditions.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            if (copy[i] is null)
            {
                throw new ArgumentException($"The condition at index {i} is null; pass only conditions.", nameof(conditions));
            }
        }

        return new NaiveMatcher(copy);
    }

    /// <summary>Finds the best match for a value (see the remarks of the type for the exact rules).</summary>
    /// <param name="kind">The kind of call.</param>
    /// <param name="value">The full method, the event type or the function name.</param>
    /// <returns>The index of the matched condition in the input of <see cref="Build"/>, or -1.</returns>
    public int Match(ConditionKind kind, ReadOnlySpan<char> value)
    {
        if (kind is not (ConditionKind.Request or ConditionKind.Response or ConditionKind.Event or ConditionKind.Function))
        {
            return -1;
        }

        // The first candidate, most specific first, that one of the conditions is; a plain scan, to be obviously right.
        foreach (var id in ConditionCandidates.Of(kind, value.ToString()))
        {
            for (var i = 0; i < _conditions.Length; i++)
            {
                if (string.Equals(_conditions[i].Id, id, StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }

        return -1;
    }
}
