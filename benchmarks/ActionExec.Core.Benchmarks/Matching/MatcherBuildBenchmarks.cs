using System.Collections.Frozen;
using ActionExec.Conditions;
using ActionExec.Matching;
using BenchmarkDotNet.Attributes;

namespace ActionExec.Benchmarks.Matching;

/// <summary>The cost of compiling a tenant's conditions, against freezing a dictionary of their ids.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class MatcherBuildBenchmarks
{
    private Condition[] _conditions = [];

    [Params(10, 1_000, 100_000)]
    public int Conditions { get; set; }

    [GlobalSetup]
    public void Setup() => _conditions = BenchmarkTenant.Generate(Conditions).Conditions;

    [Benchmark(Baseline = true)]
    public FrozenDictionary<string, int> FrozenDictionaryBuild() =>
        _conditions.Select((c, i) => KeyValuePair.Create(c.Id, i)).ToFrozenDictionary(StringComparer.Ordinal);

    [Benchmark]
    public object Build() => ConditionMatcher.Build(_conditions);
}
