using System.Collections.Frozen;
using ActionExec.Benchmarks.Matching;
using ActionExec.Conditions;
using ActionExec.Matching;
using BenchmarkDotNet.Attributes;

namespace ActionExec.Benchmarks;

/// <summary>
/// The matcher's hot path against one frozen-dictionary lookup of a canonical id (the cost of the
/// simplest conceivable exact match), at three tenant sizes: the time must not grow with the size.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class MatchBenchmarks
{
    private const string ExactId = "request" + BenchmarkTenant.ExactMethod;

    private FrozenDictionary<string, int> _byId = FrozenDictionary<string, int>.Empty;
    private ConditionMatcher _matcher = ConditionMatcher.Build([]);
    private NaiveMatcher _naive = NaiveMatcher.Build([]);

    [Params(10, 1_000, 100_000)]
    public int Conditions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var conditions = BenchmarkTenant.Generate(Conditions).Conditions;
        _byId = conditions.Select((c, i) => KeyValuePair.Create(c.Id, i)).ToFrozenDictionary(StringComparer.Ordinal);
        _matcher = ConditionMatcher.Build(conditions);
        _naive = NaiveMatcher.Build(conditions);
        Check(_byId[ExactId], _matcher.Match(ConditionKind.Request, BenchmarkTenant.ExactMethod), conditions, "request/zitadel.user.v2.UserService/GetUser");
        Check(-1, _matcher.Match(ConditionKind.Request, BenchmarkTenant.ServiceMethod), conditions, "request/zitadel.user.v2.UserService");
        Check(-1, _matcher.Match(ConditionKind.Request, BenchmarkTenant.OtherMethod), conditions, "request");
        Check(-1, _matcher.Match(ConditionKind.Event, BenchmarkTenant.GroupedEvent), conditions, "event/org.member.*");
    }

    [Benchmark(Baseline = true)]
    public int FrozenDictionaryLookup() => _byId.TryGetValue(ExactId, out var index) ? index : -1;

    [Benchmark]
    public int ExactMethod() => _matcher.Match(ConditionKind.Request, BenchmarkTenant.ExactMethod);

    [Benchmark]
    public int ServiceFallback() => _matcher.Match(ConditionKind.Request, BenchmarkTenant.ServiceMethod);

    [Benchmark]
    public int AllFallback() => _matcher.Match(ConditionKind.Request, BenchmarkTenant.OtherMethod);

    [Benchmark]
    public int EventGroup() => _matcher.Match(ConditionKind.Event, BenchmarkTenant.GroupedEvent);

    [Benchmark]
    public int NaiveLinearScan() => _naive.Match(ConditionKind.Request, BenchmarkTenant.ExactMethod);

    // A benchmark that measures the wrong path is worse than none: fail the setup if a lookup does not land where it should.
    private static void Check(int expectedIndex, int actual, Condition[] conditions, string expectedId)
    {
        if (actual < 0 || !string.Equals(conditions[actual].Id, expectedId, StringComparison.Ordinal) || (expectedIndex >= 0 && expectedIndex != actual))
        {
            throw new InvalidOperationException($"The lookup matched {(actual < 0 ? "nothing" : conditions[actual].Id)} instead of {expectedId}; the generated tenant is wrong.");
        }
    }
}
