using System.Runtime.CompilerServices;
using ActionExec.Engine;

namespace ActionExec.Soak;

/// <summary>
/// Lookups on several dedicated threads against whatever snapshot is published at that moment, each answer checked against the
/// naive expectation of that same snapshot; a snapshot's expectations are worked out once and shared by the threads.
/// </summary>
internal sealed class MatchingLoad(ActionEngine engine, string tenantId, SoakCounters counters)
{
    private const int Batch = 1024;

    private readonly ConditionalWeakTable<ActionSnapshot, NaiveExpectation> _expectations = [];

    public Task RunAsync(int threads, CancellationToken stop)
    {
        var done = new Task[threads];
        for (var i = 0; i < threads; i++)
        {
            var offset = i * 7;
            done[i] = Task.Factory.StartNew(() => Run(offset, stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        return Task.WhenAll(done);
    }

    private void Run(int offset, CancellationToken stop)
    {
        var probes = MatchUniverse.Probes;
        var next = offset;
        while (!stop.IsCancellationRequested)
        {
            if (!engine.TryGetSnapshot(tenantId, out var snapshot))
            {
                Thread.Yield();
                continue;
            }

            var expectation = _expectations.GetValue(snapshot, s => new NaiveExpectation(s, probes));
            for (var i = 0; i < Batch; i++)
            {
                var index = next++ % probes.Count;
                var probe = probes[index];
                var actual = snapshot.Match(probe.Kind, probe.Value);
                var expected = expectation.For(index);
                if (!expected.Matches(actual))
                {
                    var found = actual is null ? "no execution" : $"{actual.Condition.Id} [{string.Join(", ", actual.Targets.Select(t => t.Id))}]";
                    counters.AddMismatch($"{probe.Kind} {probe.Value} at sequence {snapshot.Sequence}: expected {expected}, found {found}");
                }
            }

            counters.AddLookups(Batch);
        }
    }
}
