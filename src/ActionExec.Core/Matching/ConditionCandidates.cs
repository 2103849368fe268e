using ActionExec.Conditions;

namespace ActionExec.Matching;

/// <summary>
/// Which conditions apply to a value, most specific first: the one statement of the matching rules that explain, the
/// cascade policy and the naive reference matcher all read. The compiled <see cref="ConditionMatcher"/> walks the same rules
/// over spans; the conformance tests hold it to the naive matcher, and so to this.
/// </summary>
/// <remarks>
/// <para><b>Request and response</b>: with <c>m</c> the value with a leading <c>/</c> added when it has none, the method
/// <c>m</c> (when <c>m</c> is <c>/S/M</c> with a service and a method), then the service <c>S</c> (when <c>m</c> has a second
/// <c>/</c> after a non-empty service), then the kind's <c>all</c>.</para>
/// <para><b>Event</b>: the event itself, then each group the value lies in, longest first (<c>user.human.*</c>, then
/// <c>user.*</c>), then <c>event</c>. An empty value has only <c>event</c>.</para>
/// <para><b>Function</b>: the function itself; there is no more general level.</para>
/// </remarks>
internal static class ConditionCandidates
{
    /// <summary>The ids of the conditions that would match <paramref name="value"/>, most specific first.</summary>
    /// <param name="kind">The kind of call.</param>
    /// <param name="value">The full method, the event type or the function name.</param>
    /// <returns>The candidate ids; none for an unknown kind.</returns>
    public static List<string> Of(ConditionKind kind, string value)
    {
        var ids = new List<string>(4);
        switch (kind)
        {
            case ConditionKind.Request or ConditionKind.Response:
                var prefix = ConditionRules.Name(kind);
                var method = value.StartsWith('/') ? value : "/" + value;
                var second = method.IndexOf('/', 1);
                if (second > 1)
                {
                    if (second < method.Length - 1)
                    {
                        ids.Add(prefix + method);
                    }

                    ids.Add(string.Concat(prefix, "/", method.AsSpan(1, second - 1)));
                }

                ids.Add(prefix);
                break;
            case ConditionKind.Event:
                if (value.Length > 0)
                {
                    ids.Add("event/" + value);
                    for (var dot = value.LastIndexOf('.'); dot > 0; dot = value.LastIndexOf('.', dot - 1))
                    {
                        ids.Add(string.Concat("event/", value.AsSpan(0, dot), ConditionRules.GroupSuffix));
                    }
                }

                ids.Add("event");
                break;
            case ConditionKind.Function:
                if (value.Length > 0)
                {
                    ids.Add("function/" + value);
                }

                break;
        }

        return ids;
    }

    /// <summary>
    /// The levels a call matching <paramref name="condition"/> passes through, from the condition itself to the most general:
    /// the candidates of the most specific value it applies to, from its own id on.
    /// </summary>
    /// <param name="condition">The condition.</param>
    /// <returns>The ids, <paramref name="condition"/>'s first.</returns>
    public static List<string> Through(Condition condition)
    {
        var value = condition.Scope switch
        {
            ConditionScope.Service => "/" + condition.Value + "/_",
            ConditionScope.Group => condition.Value + "._",
            ConditionScope.All => "",
            _ => condition.Value!,
        };
        var ids = Of(condition.Kind, value);
        var own = ids.IndexOf(condition.Id);
        if (own < 0)
        {
            return [condition.Id];
        }

        ids.RemoveRange(0, own);
        return ids;
    }
}
