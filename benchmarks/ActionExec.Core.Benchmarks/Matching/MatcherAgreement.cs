using ActionExec.Conditions;
using ActionExec.Matching;

namespace ActionExec.Benchmarks.Matching;

/// <summary>
/// Proves that <see cref="ZitadelExecutionRouter"/> and our compiled matcher give the same answer wherever ZITADEL's
/// semantics equal ours, so that the matcher benchmarks compare two ways of answering one question.
/// </summary>
/// <remarks>
/// <para>The probes are derived from a tenant's conditions: every method exactly and through its service, every service,
/// every function and a miss beside it, every event exactly and one segment below it, every group two segments below
/// it, and a value of each kind that only the <c>all</c> condition (or nothing) answers.</para>
/// <para>An event probe is left out of the comparison, and counted as skipped, when it did not match an event exactly and
/// some group of the tenant is a prefix of it that does not end at a segment boundary (<c>org</c> before
/// <c>organization.added</c>) or is the whole probe (<c>org</c> for the event <c>org</c>): there ZITADEL's raw text prefix
/// and our segment-wise group rule answer differently by design. Every other probe must agree.</para>
/// </remarks>
internal static class MatcherAgreement
{
    private const string MissingMethod = "/no.such.v1.ProbeService/Probe";
    private const string MissingEvent = "no.such.probe";
    private const string MissingFunction = "noSuchProbe";

    /// <summary>Compares both matchers on the probes of the first <paramref name="limit"/> conditions and the fixed misses.</summary>
    /// <param name="conditions">The tenant's conditions, the input of both matchers.</param>
    /// <param name="compiled">Our compiled matcher, built from <paramref name="conditions"/>.</param>
    /// <param name="zitadel">ZITADEL's router, built from <paramref name="conditions"/>.</param>
    /// <param name="limit">How many conditions to derive probes from; the event fallback of ZITADEL's router is a linear scan, so a full check of a large tenant takes seconds.</param>
    /// <returns>How many probes were compared and how many were skipped as a known difference of semantics.</returns>
    /// <exception cref="InvalidOperationException">A probe in the common ground got different answers; the message names it and both answers.</exception>
    public static (int Compared, int Skipped) Check(Condition[] conditions, ConditionMatcher compiled, ZitadelExecutionRouter zitadel, int limit)
    {
        var groups = conditions.Where(static c => c.Kind == ConditionKind.Event && c.Scope == ConditionScope.Group).Select(static c => c.Value!).ToArray();
        var compared = 0;
        var skipped = 0;
        foreach (var (kind, value) in Probes(conditions.AsSpan(0, Math.Min(limit, conditions.Length)).ToArray()))
        {
            var ours = compiled.Match(kind, value);
            var theirs = zitadel.Match(kind, value);
            if (kind == ConditionKind.Event && !IsExactEvent(conditions, ours) && HasRawPrefixGroup(groups, value))
            {
                skipped++;
                continue;
            }

            if (ours != theirs)
            {
                throw new InvalidOperationException(
                    $"For the {kind} value '{value}' our matcher answers {Describe(conditions, ours)} and the ZITADEL router answers {Describe(conditions, theirs)}; " +
                    "the re-implementation of the router no longer follows its algorithm, or the probe is outside the common ground and must be skipped.");
            }

            compared++;
        }

        return (compared, skipped);
    }

    /// <summary>
    /// Runs <see cref="Check"/> on the benchmark tenants of 10 and 1,000 executions in full and on the first 10,000
    /// conditions of the tenant of 100,000, checks that the known differences still show, and writes what was compared.
    /// </summary>
    /// <param name="output">Where the counts go.</param>
    /// <returns>0 when every probe in the common ground agreed; otherwise the check throws.</returns>
    public static int RunSelfCheck(TextWriter output)
    {
        foreach (var (size, limit) in new[] { (10, 10), (1_000, 1_000), (100_000, 10_000) })
        {
            var conditions = BenchmarkTenant.Generate(size).Conditions;
            var (compared, skipped) = Check(conditions, ConditionMatcher.Build(conditions), ZitadelExecutionRouter.Build(conditions), limit);
            output.WriteLine($"{size,7} executions: {compared} probes agree, {skipped} skipped as a known difference of semantics.");
        }

        // The known differences must still show, or the re-implementation has smoothed ZITADEL's algorithm into ours.
        Condition[] quirks = [Condition.EventGroup("org"), Condition.AllEvents];
        var router = ZitadelExecutionRouter.Build(quirks);
        var compiledQuirks = ConditionMatcher.Build(quirks);
        foreach (var value in new[] { "organization.added", "org" })
        {
            if (router.Match(ConditionKind.Event, value) != 0 || compiledQuirks.Match(ConditionKind.Event, value) != 1)
            {
                throw new InvalidOperationException(
                    $"For the event '{value}' the ZITADEL router must answer the group 'event/org.*' (a raw text prefix) and our matcher 'event'; one of them does not.");
            }
        }

        output.WriteLine("The raw-prefix group match of ZITADEL's event fallback is reproduced (event/org.* catches organization.added and org).");
        return 0;
    }

    private static IEnumerable<(ConditionKind Kind, string Value)> Probes(Condition[] conditions)
    {
        yield return (ConditionKind.Request, MissingMethod);
        yield return (ConditionKind.Response, MissingMethod);
        yield return (ConditionKind.Event, MissingEvent);
        yield return (ConditionKind.Function, MissingFunction);
        foreach (var condition in conditions)
        {
            switch (condition.Kind, condition.Scope)
            {
                case (ConditionKind.Request or ConditionKind.Response, ConditionScope.Method):
                    yield return (condition.Kind, condition.Value!);
                    yield return (condition.Kind, $"/{condition.Service}/NoSuchProbe");
                    break;
                case (ConditionKind.Request or ConditionKind.Response, ConditionScope.Service):
                    yield return (condition.Kind, $"/{condition.Value}/NoSuchProbe");
                    break;
                case (ConditionKind.Function, _):
                    yield return (condition.Kind, condition.Value!);
                    yield return (condition.Kind, condition.Value + "Probe");
                    break;
                case (ConditionKind.Event, ConditionScope.Event):
                    yield return (condition.Kind, condition.Value!);
                    yield return (condition.Kind, condition.Value + ".probe");
                    break;
                case (ConditionKind.Event, ConditionScope.Group):
                    yield return (condition.Kind, condition.Value + ".probe.added");
                    break;
            }
        }
    }

    private static bool IsExactEvent(Condition[] conditions, int index) => index >= 0 && conditions[index].Scope == ConditionScope.Event;

    private static bool HasRawPrefixGroup(string[] groups, string value)
    {
        foreach (var group in groups)
        {
            if (value.StartsWith(group, StringComparison.Ordinal) && (value.Length == group.Length || value[group.Length] != '.'))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(Condition[] conditions, int index) => index < 0 ? "nothing" : $"'{conditions[index].Id}'";
}
