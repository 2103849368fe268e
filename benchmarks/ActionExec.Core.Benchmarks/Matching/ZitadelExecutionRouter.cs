using ActionExec.Conditions;

namespace ActionExec.Benchmarks.Matching;

/// <summary>
/// ZITADEL's execution router, re-implemented in C# from its algorithm so that the matcher benchmarks show the system we
/// model beside our own matcher, on the same tenants and the same questions.
/// </summary>
/// <remarks>
/// <para>The algorithm, as described by <c>internal/execution/target/router.go</c> in the zitadel/zitadel repository (the
/// version read was commit 2c4899c4adc4fffc04dbd1e012d0d560f3412d6b) and the callers that build its execution ids:</para>
/// <list type="bullet">
/// <item>Build: one element per distinct execution id, the elements sorted by ordinal comparison of their ids.</item>
/// <item>Exact lookup: a binary search over the sorted ids with ordinal comparison.</item>
/// <item>Request and response: the caller tries one exact lookup per level: the method id, then the service id, then
/// the id of the kind alone; the first hit wins.</item>
/// <item>Function: one exact lookup.</item>
/// <item>Event: an exact lookup; on a miss, a linear scan over every element, in sorted order, in which an element
/// whose id is <c>event</c>, or whose id ends in <c>.*</c> and without that suffix is a prefix of the event id, becomes
/// the best match; the last such element wins.</item>
/// </list>
/// <para>Some versions of the callers send request and response ids through the event lookup instead, so that its
/// prefix scan does the method, service and kind fallback; this router follows the variant with one exact lookup per
/// level, the cheaper of the two for requests.</para>
/// <para>Execution ids are ZITADEL's (and, by design, equal to our canonical condition ids):
/// <c>request/pkg.v1.Service/Method</c>, <c>request/pkg.v1.Service</c>, <c>request</c>, the same for <c>response</c>,
/// <c>function/name</c>, <c>event/user.human.added</c>, <c>event/user.human.*</c> and <c>event</c>. The callers build
/// the id of each level from the value by concatenation on every call, and so does this router: that cost belongs to
/// the comparison.</para>
/// <para>Where the semantics differ from ours (see <see cref="MatcherAgreement"/>): the group prefix is a raw text
/// prefix, not one ending at a segment boundary, so <c>event/org.*</c> also catches <c>organization.added</c>, and a
/// group catches the event that has its own name (<c>event/org.*</c> catches <c>org</c>).</para>
/// <para>An element keeps the index of the first condition with its id, so that answers compare with the indexes our
/// matchers return (ZITADEL keeps the targets of every duplicate; our conditions are unique per id).</para>
/// </remarks>
internal sealed class ZitadelExecutionRouter
{
    private const string RequestKind = "request";
    private const string ResponseKind = "response";
    private const string EventKind = "event";
    private const string FunctionPrefix = "function/";
    private const string EventPrefix = "event/";
    private const string WildcardSuffix = ".*";

    private readonly string[] _ids;
    private readonly int[] _indexes;

    private ZitadelExecutionRouter(string[] ids, int[] indexes)
    {
        _ids = ids;
        _indexes = indexes;
    }

    /// <summary>The number of elements (distinct execution ids).</summary>
    public int Count => _ids.Length;

    /// <summary>Builds the router from conditions, whose canonical ids are ZITADEL's execution ids.</summary>
    /// <param name="conditions">The conditions, in any order.</param>
    /// <returns>The router; the indexes it returns refer to <paramref name="conditions"/>.</returns>
    public static ZitadelExecutionRouter Build(ReadOnlySpan<Condition> conditions)
    {
        var first = new Dictionary<string, int>(conditions.Length, StringComparer.Ordinal);
        for (var i = 0; i < conditions.Length; i++)
        {
            first.TryAdd(conditions[i].Id, i);
        }

        var ids = first.Keys.ToArray();
        var indexes = first.Values.ToArray();
        Array.Sort(ids, indexes, StringComparer.Ordinal);
        return new ZitadelExecutionRouter(ids, indexes);
    }

    /// <summary>Answers the question our matchers answer: which execution applies to a call of this kind and value.</summary>
    /// <param name="kind">The kind of call.</param>
    /// <param name="value">The full method (with its leading <c>/</c>), the event type or the function name.</param>
    /// <returns>The index of the matched condition, or -1.</returns>
    public int Match(ConditionKind kind, string value) => kind switch
    {
        ConditionKind.Request => MatchMethod(RequestKind, value),
        ConditionKind.Response => MatchMethod(ResponseKind, value),
        ConditionKind.Function => Get(FunctionPrefix + value),
        ConditionKind.Event => GetEventBestMatch(EventPrefix + value),
        _ => -1,
    };

    /// <summary>The exact lookup: a binary search with ordinal comparison.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <returns>The index of the condition with exactly that id, or -1.</returns>
    public int Get(string executionId)
    {
        var low = 0;
        var high = _ids.Length;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (string.CompareOrdinal(_ids[middle], executionId) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low < _ids.Length && string.Equals(_ids[low], executionId, StringComparison.Ordinal) ? _indexes[low] : -1;
    }

    /// <summary>The event lookup: exact, else the last element in sorted order that is <c>event</c> or a <c>.*</c> prefix.</summary>
    /// <param name="executionId">The execution id of the event, <c>event/</c> and the event type.</param>
    /// <returns>The index of the matched condition, or -1.</returns>
    public int GetEventBestMatch(string executionId)
    {
        var exact = Get(executionId);
        if (exact >= 0)
        {
            return exact;
        }

        var best = -1;
        for (var i = 0; i < _ids.Length; i++)
        {
            var id = _ids[i];
            if (string.Equals(id, EventKind, StringComparison.Ordinal) && executionId.StartsWith(id, StringComparison.Ordinal))
            {
                best = _indexes[i];
            }

            if (id.EndsWith(WildcardSuffix, StringComparison.Ordinal) && executionId.AsSpan().StartsWith(id.AsSpan(0, id.Length - WildcardSuffix.Length), StringComparison.Ordinal))
            {
                best = _indexes[i];
            }
        }

        return best;
    }

    // The method level, then the service level, then the kind alone; a value without a service segment skips the second.
    private int MatchMethod(string kind, string fullMethod)
    {
        var method = Get(kind + fullMethod);
        if (method >= 0)
        {
            return method;
        }

        var end = fullMethod.Length > 1 ? fullMethod.IndexOf('/', 1) : -1;
        if (end > 1)
        {
            var service = Get(string.Concat(kind, "/", fullMethod.AsSpan(1, end - 1)));
            if (service >= 0)
            {
                return service;
            }
        }

        return Get(kind);
    }
}
