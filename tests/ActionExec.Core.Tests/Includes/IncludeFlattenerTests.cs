using System.Collections.Immutable;
using System.Globalization;
using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Includes;

namespace ActionExec.Tests.Includes;

public sealed class IncludeFlattenerTests
{
    [Fact]
    public void Flatten_TargetsAroundAnInclude_KeepsListOrder()
    {
        var flattener = Flattener(
            ("a", [T("t1"), Inc("b"), T("t2")]),
            ("b", [T("t3"), T("t4")]));

        var result = flattener.Flatten("function/a");

        Assert.Equal(["t1", "t3", "t4", "t2"], result.TargetIds, StringComparer.Ordinal);
        Assert.Empty(result.UnresolvedIncludes);
    }

    [Fact]
    public void Flatten_TwoIncludesShareATarget_RunsItOnceAtItsFirstPosition()
    {
        var flattener = Flattener(
            ("a", [Inc("b"), Inc("c")]),
            ("b", [T("t1"), T("t2")]),
            ("c", [T("t2"), T("t3")]));

        Assert.Equal(["t1", "t2", "t3"], flattener.Flatten("function/a").TargetIds, StringComparer.Ordinal);
    }

    [Fact]
    public void Flatten_OwnTargetAlsoReachedThroughAnInclude_KeepsTheFirstPosition()
    {
        var flattener = Flattener(
            ("a", [Inc("b"), T("t1")]),
            ("b", [T("t1"), T("t2")]),
            ("c", [T("t2"), Inc("b")]));

        Assert.Equal(["t1", "t2"], flattener.Flatten("function/a").TargetIds, StringComparer.Ordinal);
        Assert.Equal(["t2", "t1"], flattener.Flatten("function/c").TargetIds, StringComparer.Ordinal);
    }

    [Fact]
    public void Flatten_NestedIncludes_ResolveDepthFirst()
    {
        var flattener = Flattener(
            ("a", [T("t1"), Inc("b"), T("t6")]),
            ("b", [T("t2"), Inc("c"), T("t5")]),
            ("c", [T("t3"), T("t4")]));

        Assert.Equal(["t1", "t2", "t3", "t4", "t5", "t6"], flattener.Flatten("function/a").TargetIds, StringComparer.Ordinal);
        Assert.Equal(["t2", "t3", "t4", "t5"], flattener.Flatten("function/b").TargetIds, StringComparer.Ordinal);
    }

    [Fact]
    public void Flatten_MissingAndEmptyIncludes_AreReportedOnceInDepthFirstOrder()
    {
        var flattener = Flattener(
            ("a", [Inc("missing"), T("t1"), Inc("empty"), Inc("b"), Inc("c")]),
            ("b", [Inc("missing"), Inc("other")]),
            ("c", [T("t2"), Inc("empty")]),
            ("empty", []));

        var result = flattener.Flatten("function/a");

        Assert.Equal(["t1", "t2"], result.TargetIds, StringComparer.Ordinal);
        Assert.Equal(
            ["function/missing", "function/empty", "function/b", "function/other"],
            result.UnresolvedIncludes.Select(condition => condition.Id),
            StringComparer.Ordinal);
        Assert.Equal(
            ["function/empty"],
            flattener.Flatten("function/c").UnresolvedIncludes.Select(condition => condition.Id),
            StringComparer.Ordinal);
    }

    [Fact]
    public void Flatten_MissingOrEmptyExecution_IsEmpty()
    {
        var flattener = Flattener(("empty", []));

        Assert.Empty(flattener.Flatten("function/missing").TargetIds);
        Assert.Empty(flattener.Flatten("function/missing").UnresolvedIncludes);
        Assert.Empty(flattener.Flatten("function/empty").TargetIds);
    }

    [Fact]
    public void Flatten_SharedInclude_ReadsEveryExecutionOnceAndReusesResults()
    {
        var store = Store(
            ("a", [Inc("b"), Inc("c")]),
            ("b", [Inc("d"), T("t1")]),
            ("c", [Inc("d"), T("t2")]),
            ("d", [T("t0")]));
        var reads = new Dictionary<string, int>(StringComparer.Ordinal);
        var flattener = new IncludeFlattener(id =>
        {
            reads[id] = reads.GetValueOrDefault(id) + 1;
            return store.TryGetValue(id, out var entries) ? entries : null;
        });

        var a = flattener.Flatten("function/a");
        var b = flattener.Flatten("function/b");

        Assert.Equal(["t0", "t1", "t2"], a.TargetIds, StringComparer.Ordinal);
        Assert.Equal(["t0", "t1"], b.TargetIds, StringComparer.Ordinal);
        Assert.Same(a, flattener.Flatten("function/a"));
        Assert.Same(b, flattener.Flatten("function/b"));
        Assert.All(reads, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(4, reads.Count);
    }

    [Fact]
    public void Flatten_SelfIncludeFromADamagedStore_Terminates()
    {
        var flattener = Flattener(("a", [T("t1"), Inc("a"), T("t2")]));

        var result = flattener.Flatten("function/a");

        Assert.Equal(["t1", "t2"], result.TargetIds, StringComparer.Ordinal);
        Assert.Empty(result.UnresolvedIncludes);
    }

    [Fact]
    public void Flatten_CycleFromADamagedStore_Terminates()
    {
        var flattener = Flattener(
            ("a", [T("t1"), Inc("b")]),
            ("b", [T("t2"), Inc("a"), T("t3")]));

        Assert.Equal(["t1", "t2", "t3"], flattener.Flatten("function/a").TargetIds, StringComparer.Ordinal);
        Assert.Equal(["t2", "t3"], flattener.Flatten("function/b").TargetIds, StringComparer.Ordinal);
    }

    [Fact]
    public void Flatten_HundredThousandLongChain_DoesNotOverflowTheStack()
    {
        const int Count = 100_000;
        var store = new Dictionary<string, ImmutableArray<ExecutionEntry>>(StringComparer.Ordinal);
        for (var i = 0; i < Count - 1; i++)
        {
            store.Add(Id(i), [Inc(Name(i + 1))]);
        }

        store.Add(Id(Count - 1), [T("last")]);
        var flattener = new IncludeFlattener(id => store.TryGetValue(id, out var entries) ? entries : null);

        Assert.Equal(["last"], flattener.Flatten(Id(0)).TargetIds, StringComparer.Ordinal);
        Assert.Equal(["last"], flattener.Flatten(Id(Count / 2)).TargetIds, StringComparer.Ordinal);

        static string Name(int i) => "n" + i.ToString("D6", CultureInfo.InvariantCulture);
        static string Id(int i) => "function/" + Name(i);
    }

    [Fact]
    public void Flatten_HundredThousandIncludes_KeepsTheirOrder()
    {
        const int Count = 100_000;
        var store = new Dictionary<string, ImmutableArray<ExecutionEntry>>(StringComparer.Ordinal);
        var root = ImmutableArray.CreateBuilder<ExecutionEntry>(Count);
        for (var i = 0; i < Count; i++)
        {
            var name = "n" + i.ToString(CultureInfo.InvariantCulture);
            root.Add(Inc(name));
            store.Add("function/" + name, [T("t" + i.ToString(CultureInfo.InvariantCulture)), T("shared")]);
        }

        store.Add("function/root", root.MoveToImmutable());
        var flattener = new IncludeFlattener(id => store.TryGetValue(id, out var entries) ? entries : null);

        var targets = flattener.Flatten("function/root").TargetIds;

        Assert.Equal(Count + 1, targets.Length);
        Assert.Equal(["t0", "shared", "t1", "t2"], targets.Take(4), StringComparer.Ordinal);
        Assert.Equal("t99999", targets[^1]);
    }

    [Fact]
    public void Flatten_RandomAcyclicGraphs_AgreeWithNaiveExpansion()
    {
        var random = new Random(20_240_612);
        for (var round = 0; round < 2000; round++)
        {
            var store = RandomStore(random, random.Next(1, 10));
            var flattener = new IncludeFlattener(id => store.TryGetValue(id, out var entries) ? entries : null);

            // Flatten in a random order so memoised results are reused from every direction.
            foreach (var id in store.Keys.OrderBy(_ => random.Next()).ToList())
            {
                var result = flattener.Flatten(id);
                var expanded = NaiveExpand(store, id);

                Assert.Equal(expanded.Distinct(StringComparer.Ordinal), result.TargetIds, StringComparer.Ordinal);
                Assert.Equal(NaiveUnresolved(store, id), result.UnresolvedIncludes.Select(condition => condition.Id), StringComparer.Ordinal);
            }
        }
    }

    [Fact]
    public void Constructor_NullSource_Throws()
    {
        Assert.Throws<ArgumentNullException>("entriesOf", () => new IncludeFlattener(null!));
    }

    [Fact]
    public void Flatten_NullId_Throws()
    {
        Assert.Throws<ArgumentNullException>("executionId", () => Flattener().Flatten(null!));
    }

    private static ExecutionEntry T(string targetId) => ExecutionEntry.ForTarget(targetId);

    private static ExecutionEntry Inc(string name) => ExecutionEntry.ForInclude(Condition.Function(name));

    private static Dictionary<string, ImmutableArray<ExecutionEntry>> Store(params (string Name, ExecutionEntry[] Entries)[] executions)
    {
        var store = new Dictionary<string, ImmutableArray<ExecutionEntry>>(StringComparer.Ordinal);
        foreach (var (name, entries) in executions)
        {
            store.Add("function/" + name, [.. entries]);
        }

        return store;
    }

    private static IncludeFlattener Flattener(params (string Name, ExecutionEntry[] Entries)[] executions)
    {
        var store = Store(executions);
        return new IncludeFlattener(id => store.TryGetValue(id, out var entries) ? entries : null);
    }

    private static Dictionary<string, ImmutableArray<ExecutionEntry>> RandomStore(Random random, int size)
    {
        // Execution i may include only executions with a higher number (and one that does not exist), so it is acyclic.
        var store = new Dictionary<string, ImmutableArray<ExecutionEntry>>(StringComparer.Ordinal);
        for (var i = 0; i < size; i++)
        {
            var entries = new List<ExecutionEntry>();
            var targets = Enumerable.Range(0, 6).Where(_ => random.Next(3) == 0)
                .Select(t => T("t" + t.ToString(CultureInfo.InvariantCulture)));
            var includes = Enumerable.Range(i + 1, size - i).Where(_ => random.Next(3) == 0)
                .Select(j => Inc("n" + j.ToString(CultureInfo.InvariantCulture)));
            entries.AddRange(targets.Concat(includes).OrderBy(_ => random.Next()));
            store.Add("function/n" + i.ToString(CultureInfo.InvariantCulture), [.. entries]);
        }

        return store;
    }

    // Expands every include in place, without memoising or removing duplicates.
    private static List<string> NaiveExpand(Dictionary<string, ImmutableArray<ExecutionEntry>> store, string id)
    {
        var targets = new List<string>();
        if (store.TryGetValue(id, out var entries))
        {
            foreach (var entry in entries)
            {
                if (entry.Kind == ExecutionEntryKind.Target)
                {
                    targets.Add(entry.TargetId!);
                }
                else
                {
                    targets.AddRange(NaiveExpand(store, entry.Include!.Id));
                }
            }
        }

        return targets;
    }

    private static List<string> NaiveUnresolved(Dictionary<string, ImmutableArray<ExecutionEntry>> store, string id)
    {
        var unresolved = new List<string>();
        Walk(id);
        return [.. unresolved.Distinct(StringComparer.Ordinal)];

        void Walk(string current)
        {
            if (!store.TryGetValue(current, out var entries))
            {
                return;
            }

            foreach (var entry in entries)
            {
                if (entry.Kind == ExecutionEntryKind.Include)
                {
                    if (NaiveExpand(store, entry.Include!.Id).Count == 0)
                    {
                        unresolved.Add(entry.Include.Id);
                    }

                    Walk(entry.Include.Id);
                }
            }
        }
    }
}
