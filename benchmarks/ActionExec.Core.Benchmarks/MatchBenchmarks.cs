using System.Collections.Frozen;
using ActionExec.Benchmarks.Matching;
using ActionExec.Conditions;
using ActionExec.Matching;
using BenchmarkDotNet.Attributes;

namespace ActionExec.Benchmarks;

/// <summary>
/// Which execution applies to a call, asked of three matchers built from the same tenant at three sizes: the naive linear
/// scan (the reference, and the baseline), our compiled matcher, and ZITADEL's router re-implemented from its algorithm
/// (sorted ids, one binary search per level, a linear scan for the event fallback). A fourth row is one frozen-dictionary
/// lookup of the value's own id: the cost of the simplest conceivable exact match, whatever the case.
/// </summary>
/// <remarks>
/// The setup fails, rather than measure the wrong path, when a matcher does not land on the condition the case expects,
/// or when our matcher and ZITADEL's router disagree on a sample of the tenant where their semantics are the same
/// (<see cref="MatcherAgreement"/>; <c>-- self-check</c> runs the whole comparison).
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
[IterationTime(100)]
public class MatchBenchmarks
{
    // The agreement sample of the setup: enough to cover every kind, small enough for the setup of every benchmark process.
    private const int AgreementSample = 256;

    private FrozenDictionary<string, int> _byId = FrozenDictionary<string, int>.Empty;
    private ConditionMatcher _compiled = ConditionMatcher.Build([]);
    private NaiveMatcher _naive = NaiveMatcher.Build([]);
    private ZitadelExecutionRouter _zitadel = ZitadelExecutionRouter.Build([]);
    private ConditionKind _kind;
    private string _value = string.Empty;
    private string _id = string.Empty;

    /// <summary>The number of executions (conditions) of the tenant.</summary>
    [Params(10, 1_000, 100_000)]
    public int Executions { get; set; }

    /// <summary>The question asked.</summary>
    [ParamsAllValues]
    public MatchCase Case { get; set; }

    /// <summary>Builds the tenant and the matchers, and checks that each answers the case as expected.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var conditions = BenchmarkTenant.Generate(Executions).Conditions;
        _byId = conditions.Select((c, i) => KeyValuePair.Create(c.Id, i)).ToFrozenDictionary(StringComparer.Ordinal);
        _compiled = ConditionMatcher.Build(conditions);
        _naive = NaiveMatcher.Build(conditions);
        _zitadel = ZitadelExecutionRouter.Build(conditions);

        string expected;
        (_kind, _value, expected) = Case switch
        {
            MatchCase.ExactMethod => (ConditionKind.Request, BenchmarkTenant.ExactMethod, "request" + BenchmarkTenant.ExactMethod),
            MatchCase.ServiceFallback => (ConditionKind.Request, BenchmarkTenant.ServiceMethod, "request/zitadel.user.v2.UserService"),
            MatchCase.AllFallback => (ConditionKind.Request, BenchmarkTenant.OtherMethod, "request"),
            MatchCase.ExactEvent => (ConditionKind.Event, BenchmarkTenant.ExactEvent, "event/" + BenchmarkTenant.ExactEvent),
            MatchCase.EventGroup => (ConditionKind.Event, BenchmarkTenant.GroupedEvent, "event/org.member.*"),
            _ => throw new InvalidOperationException($"The case {Case} has no lookup; add it to the setup."),
        };
        _id = _kind == ConditionKind.Event ? "event/" + _value : "request" + _value;

        // A benchmark that measures the wrong path is worse than none.
        Check("naive", _naive.Match(_kind, _value), conditions, expected);
        Check("compiled", _compiled.Match(_kind, _value), conditions, expected);
        Check("ZITADEL", _zitadel.Match(_kind, _value), conditions, expected);
        MatcherAgreement.Check(conditions, _compiled, _zitadel, AgreementSample);
    }

    /// <summary>The reference: a linear scan over every condition.</summary>
    /// <returns>The index of the match.</returns>
    [Benchmark(Baseline = true)]
    public int NaiveScan() => _naive.Match(_kind, _value);

    /// <summary>Our compiled matcher.</summary>
    /// <returns>The index of the match.</returns>
    [Benchmark]
    public int CompiledMatcher() => _compiled.Match(_kind, _value);

    /// <summary>ZITADEL's router: the ids of each level built from the value, a binary search per level, the event fallback a scan.</summary>
    /// <returns>The index of the match.</returns>
    [Benchmark]
    public int ZitadelRouter() => _zitadel.Match(_kind, _value);

    /// <summary>One frozen-dictionary lookup of the value's own id (a miss for the fallback cases): the floor of an exact match.</summary>
    /// <returns>The index of the id, or -1.</returns>
    [Benchmark]
    public int FrozenDictionaryLookup() => _byId.TryGetValue(_id, out var index) ? index : -1;

    private static void Check(string matcher, int actual, Condition[] conditions, string expectedId)
    {
        if (actual < 0 || !string.Equals(conditions[actual].Id, expectedId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The {matcher} matcher matched {(actual < 0 ? "nothing" : conditions[actual].Id)} instead of {expectedId}; the generated tenant or the matcher is wrong.");
        }
    }
}
