using System.Collections.Frozen;
using ActionExec.Engine;
using ActionExec.Executions;
using ActionExec.Storage;
using BenchmarkDotNet.Attributes;

namespace ActionExec.Benchmarks.Engine;

/// <summary>
/// Compiling a whole tenant (targets, executions with includes, flattened lists, matcher) against the floor of
/// merely indexing the executions by id in a frozen dictionary.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class SnapshotBuildBenchmarks
{
    private TenantState _state = null!;

    [Params(1_000, 100_000)]
    public int Executions { get; set; }

    [GlobalSetup]
    public void Setup() => _state = TenantGenerator.Create(Executions);

    [Benchmark(Baseline = true)]
    public FrozenDictionary<string, Execution> FrozenDictionaryOfExecutions() => _state.Executions.ToFrozenDictionary(e => e.Id, StringComparer.Ordinal);

    [Benchmark]
    public object CompileSnapshot() => ActionSnapshot.Create(_state, MatchPolicy.BestMatch);

    [Benchmark]
    public object CompileSnapshotCascade() => ActionSnapshot.Create(_state, MatchPolicy.Cascade);
}
