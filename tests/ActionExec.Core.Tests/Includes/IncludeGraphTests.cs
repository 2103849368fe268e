using System.Collections.Immutable;
using ActionExec.Includes;
using CsCheck;

namespace ActionExec.Tests.Includes;

public sealed class IncludeGraphTests
{
    private enum Verdict
    {
        Ok,
        Cycle,
        TooDeep,
    }

    [Fact]
    public void Check_SelfInclude_ReportsCycleClosingOnItself()
    {
        var problem = IncludeGraph.Check(Graph(("request/a", ["request/a"])), 2, "request/a");

        Assert.NotNull(problem);
        Assert.Equal(IncludeProblemKind.Cycle, problem.Kind);
        Assert.Equal(["request/a", "request/a"], problem.Path, StringComparer.Ordinal);
        Assert.Equal(1, problem.Depth);
        Assert.Equal("include cycle: request/a -> request/a", problem.Message);
    }

    [Theory]
    [InlineData("request/a", "include cycle: request/a -> request/b -> request/a")]
    [InlineData("request/b", "include cycle: request/b -> request/a -> request/b")]
    [InlineData(null, "include cycle: request/a -> request/b -> request/a")]
    public void Check_TwoNodeCycle_ReportsPathFromWhereTheSearchStarted(string? startAt, string expected)
    {
        var problem = IncludeGraph.Check(Graph(("request/a", ["request/b"]), ("request/b", ["request/a"])), 2, startAt);

        Assert.NotNull(problem);
        Assert.Equal(IncludeProblemKind.Cycle, problem.Kind);
        Assert.Equal(2, problem.Depth);
        Assert.Equal(expected, problem.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(2)]
    [InlineData(0)]
    public void Check_FiveNodeCycle_IsACycleWhateverTheMaximumDepth(int maxDepth)
    {
        var includes = Graph(
            ("request/a", ["request/b"]),
            ("request/b", ["request/c"]),
            ("request/c", ["request/d"]),
            ("request/d", ["request/e"]),
            ("request/e", ["request/a"]));

        var problem = IncludeGraph.Check(includes, maxDepth, "request/c");

        Assert.NotNull(problem);
        Assert.Equal(IncludeProblemKind.Cycle, problem.Kind);
        Assert.Equal(5, problem.Depth);
        Assert.Equal(
            "include cycle: request/c -> request/d -> request/e -> request/a -> request/b -> request/c",
            problem.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Check_ChainOfDepthTwo_IsAccepted(bool lastExists)
    {
        var includes = Graph(("request/a", ["request/b"]), ("request/b", ["request/c"]));
        if (lastExists)
        {
            includes.Add("request/c", []);
        }

        Assert.Null(IncludeGraph.Check(includes, 2, "request/a"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Check_ChainOfDepthThree_IsRejectedEvenWhenTheLastExecutionIsEmptyOrMissing(bool lastExists)
    {
        var includes = Graph(("request/a", ["request/b"]), ("request/b", ["request/c"]), ("request/c", ["request/d"]));
        if (lastExists)
        {
            includes.Add("request/d", []);
        }

        var problem = IncludeGraph.Check(includes, 2, "request/a");

        Assert.NotNull(problem);
        Assert.Equal(IncludeProblemKind.Depth, problem.Kind);
        Assert.Equal(["request/a", "request/b", "request/c", "request/d"], problem.Path, StringComparer.Ordinal);
        Assert.Equal(3, problem.Depth);
        Assert.Equal(2, problem.MaxDepth);
        Assert.Equal("include depth 3 exceeds 2: request/a -> request/b -> request/c -> request/d", problem.Message);
    }

    [Fact]
    public void Check_ChangeThatDeepensAnotherExecution_ReportsTheChainOfThatExecution()
    {
        // request/b is being changed; its own chain has one hop, but event now reaches three.
        var includes = Graph(("event", ["request/a"]), ("request/a", ["request/b"]), ("request/b", ["request/c"]));

        var problem = IncludeGraph.Check(includes, 2, "request/b");

        Assert.NotNull(problem);
        Assert.Equal("include depth 3 exceeds 2: event -> request/a -> request/b -> request/c", problem.Message);
    }

    [Fact]
    public void Check_DeepChainAwayFromStartAt_IsFoundFromTheFirstOffendingKeyInOrdinalOrder()
    {
        var includes = Graph(
            ("request/a", []),
            ("request/z", ["request/y"]),
            ("request/y", ["request/x"]),
            ("request/x", ["request/w"]));

        var problem = IncludeGraph.Check(includes, 2, "request/a");

        Assert.NotNull(problem);
        Assert.Equal("include depth 3 exceeds 2: request/z -> request/y -> request/x -> request/w", problem.Message);
    }

    [Fact]
    public void Check_StartAtIsTooDeep_IsReportedBeforeAnOrdinallyEarlierChain()
    {
        var includes = Graph(
            ("request/a", ["request/b"]),
            ("request/b", ["request/c"]),
            ("request/c", ["request/d"]),
            ("request/p", ["request/q"]),
            ("request/q", ["request/r"]),
            ("request/r", ["request/s"]));

        var problem = IncludeGraph.Check(includes, 2, "request/p");

        Assert.NotNull(problem);
        Assert.Equal("include depth 3 exceeds 2: request/p -> request/q -> request/r -> request/s", problem.Message);
    }

    [Fact]
    public void Check_MaxDepthZero_RejectsAnyInclude()
    {
        var problem = IncludeGraph.Check(Graph(("request/a", ["request/b"])), 0);

        Assert.NotNull(problem);
        Assert.Equal("include depth 1 exceeds 0: request/a -> request/b", problem.Message);
    }

    [Fact]
    public void Check_TooDeepChainAndALaterCycle_ReportsTheCycle()
    {
        var includes = Graph(
            ("request/a", ["request/b"]),
            ("request/b", ["request/c"]),
            ("request/c", ["request/d"]),
            ("request/y", ["request/z"]),
            ("request/z", ["request/y"]));

        var problem = IncludeGraph.Check(includes, 2, "request/a");

        Assert.NotNull(problem);
        Assert.Equal("include cycle: request/y -> request/z -> request/y", problem.Message);
    }

    [Fact]
    public void Check_LongerChainListedAfterAShorterOne_ReportsTheLongestChain()
    {
        var includes = Graph(
            ("request/a", ["request/b", "request/c"]),
            ("request/b", ["request/x"]),
            ("request/c", ["request/d"]),
            ("request/d", ["request/e"]),
            ("request/e", ["request/f"]));

        var problem = IncludeGraph.Check(includes, 2, "request/a");

        Assert.NotNull(problem);
        Assert.Equal(4, problem.Depth);
        Assert.Equal(
            "include depth 4 exceeds 2: request/a -> request/c -> request/d -> request/e -> request/f",
            problem.Message);
    }

    [Fact]
    public void Check_EqualChains_ReportsTheFirstInListOrder()
    {
        var includes = Graph(
            ("request/a", ["request/c", "request/b"]),
            ("request/b", ["request/x"]),
            ("request/c", ["request/y"]),
            ("request/x", ["request/z"]),
            ("request/y", ["request/z"]));

        var problem = IncludeGraph.Check(includes, 2, "request/a");

        Assert.NotNull(problem);
        Assert.Equal("include depth 3 exceeds 2: request/a -> request/c -> request/y -> request/z", problem.Message);
    }

    [Fact]
    public void Check_DiamondSharingAnExecution_IsNotACycle()
    {
        var includes = Graph(
            ("request/a", ["request/b", "request/c"]),
            ("request/b", ["request/d"]),
            ("request/c", ["request/d"]));

        Assert.Null(IncludeGraph.Check(includes, 2, "request/d"));
    }

    [Fact]
    public void Check_EmptyGraphAndDefaultLists_AreAccepted()
    {
        Assert.Null(IncludeGraph.Check(Graph(), 0));
        Assert.Null(IncludeGraph.Check(Graph(), 0, "request/a"));
        Assert.Null(IncludeGraph.Check(new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal) { ["request/a"] = default }, 0, "request/a"));
    }

    [Fact]
    public void Check_NullGraph_Throws()
    {
        Assert.Throws<ArgumentNullException>("includes", () => IncludeGraph.Check(null!, 2));
    }

    [Fact]
    public void Check_NegativeMaxDepth_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>("maxDepth", () => IncludeGraph.Check(Graph(), -1));
    }

    [Fact]
    public void Check_SameGraphInAnotherDictionaryOrder_ReportsTheSamePath()
    {
        var edges = new (string Id, string[] Includes)[]
        {
            ("request/m", ["request/k", "request/n"]),
            ("request/k", ["request/n"]),
            ("request/n", ["request/c"]),
            ("request/c", ["request/k"]),
            ("request/b", ["request/c"]),
        };
        var forward = Graph(edges);
        var backward = Graph([.. edges.Reverse()]);

        var first = IncludeGraph.Check(forward, 2);
        var second = IncludeGraph.Check(backward, 2);
        var again = IncludeGraph.Check(forward, 2);

        Assert.NotNull(first);
        Assert.Equal("include cycle: request/c -> request/k -> request/n -> request/c", first.Message);
        Assert.Equal(first.Message, second?.Message);
        Assert.Equal(first.Message, again?.Message);
    }

    [Fact]
    public void Check_HundredThousandNodeChain_DoesNotOverflowTheStack()
    {
        const int Count = 100_000;
        var includes = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        for (var i = 0; i < Count - 1; i++)
        {
            includes.Add(Node(i), [Node(i + 1)]);
        }

        Assert.Null(IncludeGraph.Check(includes, Count - 1, Node(Count / 2)));

        var tooDeep = IncludeGraph.Check(includes, Count - 2, Node(Count / 2));
        Assert.NotNull(tooDeep);
        Assert.Equal(IncludeProblemKind.Depth, tooDeep.Kind);
        Assert.Equal(Count - 1, tooDeep.Depth);
        Assert.Equal(Node(0), tooDeep.Path[0]);
        Assert.Equal(Node(Count - 1), tooDeep.Path[^1]);

        includes.Add(Node(Count - 1), [Node(0)]);
        var cycle = IncludeGraph.Check(includes, 2, Node(Count / 2));
        Assert.NotNull(cycle);
        Assert.Equal(IncludeProblemKind.Cycle, cycle.Kind);
        Assert.Equal(Count, cycle.Depth);
        Assert.Equal(Node(Count / 2), cycle.Path[0]);
        Assert.Equal(Node(Count / 2), cycle.Path[^1]);

        static string Node(int i) => "request/n" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Check_AnySmallGraph_AgreesWithBruteForceReference()
    {
        // CsCheck graphs of 1 to 12 executions, some acyclic by construction, with includes of a missing execution; a failure
        // prints the graph and shrinks to a small one.
        var seen = new Dictionary<Verdict, int> { [Verdict.Ok] = 0, [Verdict.Cycle] = 0, [Verdict.TooDeep] = 0 };
        GraphCases.Sample(
            c =>
            {
                var (includes, maxDepth, startAt) = (c.Includes, c.MaxDepth, c.StartAt);
                var expected = Reference(includes, maxDepth, startAt, out var firstTooDeep, out var longest);
                var problem = IncludeGraph.Check(includes, maxDepth, startAt);
                var context = $"{Describe(includes)}, maxDepth {maxDepth}, startAt {startAt ?? "null"}";
                seen[expected]++;

                switch (expected)
                {
                    case Verdict.Ok:
                        Assert.True(problem is null, $"{context}: expected no problem, got '{problem?.Message}'.");
                        break;
                    case Verdict.Cycle:
                        Assert.True(problem is { Kind: IncludeProblemKind.Cycle }, $"{context}: expected a cycle, got '{problem?.Message}'.");
                        AssertRealPath(includes, problem!.Path, context);
                        Assert.True(problem.Path.Length >= 2, context);
                        Assert.Equal(problem.Path[0], problem.Path[^1]);
                        Assert.Equal(problem.Path.Length - 1, problem.Path.Take(problem.Path.Length - 1).Distinct(StringComparer.Ordinal).Count());
                        Assert.Equal(problem.Path.Length - 1, problem.Depth);
                        Assert.Equal("include cycle: " + string.Join(" -> ", problem.Path), problem.Message);
                        break;
                    default:
                        Assert.True(problem is { Kind: IncludeProblemKind.Depth }, $"{context}: expected too deep, got '{problem?.Message}'.");
                        AssertRealPath(includes, problem!.Path, context);
                        Assert.Equal(firstTooDeep, problem.Path[0]);
                        Assert.Equal(longest[firstTooDeep!], problem.Depth);
                        Assert.Equal(problem.Path.Length - 1, problem.Depth);
                        Assert.True(problem.Depth > maxDepth, context);
                        Assert.Equal(
                            $"include depth {problem.Depth} exceeds {maxDepth}: " + string.Join(" -> ", problem.Path),
                            problem.Message);
                        break;
                }
            },
            iter: 6000,
            threads: 1,
            print: static c => $"{Describe(c.Includes)}, maxDepth {c.MaxDepth}, startAt {c.StartAt ?? "null"}");

        // Every verdict must be exercised often, or the comparison proves little.
        Assert.All(seen.Values, count => Assert.True(count > 500, $"verdict counts: {string.Join(", ", seen)}"));
    }

    private sealed record GraphCase(Dictionary<string, ImmutableArray<string>> Includes, int MaxDepth, string? StartAt);

    // A rank per node; acyclic graphs only point from lower to higher rank (ties by index), so ids do not reveal the order.
    // Node 'size' is never a key: an include of a missing execution.
    private static readonly Gen<GraphCase> GraphCases =
        from size in Gen.Int[1, 12]
        from density in Gen.OneOf(0.05, 0.15, 0.3, 0.5, 0.8)
        from acyclicOnly in Gen.Bool
        from ranks in Gen.Int[0, 1000].Array[size]
        from absent in Gen.Double.Array[size]
        from edges in Gen.Double.Array[size * (size + 1)]
        from selfLoops in Gen.Double.Array[size]
        from order in Gen.Int.Array[size * (size + 1)]
        from maxDepth in Gen.Int[0, 4]
        from startKind in Gen.Int[0, 3]
        from start in Gen.Int[0, size]
        select new GraphCase(
            BuildGraph(size, density, acyclicOnly, ranks, absent, edges, selfLoops, order),
            maxDepth,
            startKind == 0 ? null : "request/n" + start.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Dictionary<string, ImmutableArray<string>> Graph(params (string Id, string[] Includes)[] edges)
    {
        var graph = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var (id, includes) in edges)
        {
            graph.Add(id, [.. includes]);
        }

        return graph;
    }

    private static Dictionary<string, ImmutableArray<string>> BuildGraph(
        int size, double density, bool acyclicOnly, int[] ranks, double[] absent, double[] edges, double[] selfLoops, int[] order)
    {
        var graph = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        for (var i = 0; i < size; i++)
        {
            if (absent[i] < 0.15)
            {
                continue;
            }

            var children = new List<(string Id, int Order)>();
            for (var j = 0; j <= size; j++)
            {
                var before = ranks[i] < ranks[Math.Min(j, size - 1)] || (ranks[i] == ranks[Math.Min(j, size - 1)] && i < j);
                var allowed = j == size || (acyclicOnly ? before : j != i || selfLoops[i] < 0.2);
                if (allowed && edges[(i * (size + 1)) + j] < density)
                {
                    children.Add(("request/n" + j.ToString(System.Globalization.CultureInfo.InvariantCulture), order[(i * (size + 1)) + j]));
                }
            }

            graph.Add(
                "request/n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [.. children.OrderBy(static c => c.Order).Select(static c => c.Id)]);
        }

        return graph;
    }

    private static ImmutableArray<string> ChildrenOf(Dictionary<string, ImmutableArray<string>> includes, string id) =>
        includes.TryGetValue(id, out var children) ? children : [];

    private static Verdict Reference(
        Dictionary<string, ImmutableArray<string>> includes,
        int maxDepth,
        string? startAt,
        out string? firstTooDeep,
        out Dictionary<string, int> longest)
    {
        firstTooDeep = null;
        longest = new Dictionary<string, int>(StringComparer.Ordinal);

        // A cycle exists when some execution can reach itself.
        foreach (var id in includes.Keys)
        {
            var reached = new HashSet<string>(StringComparer.Ordinal);
            var queue = new Queue<string>(ChildrenOf(includes, id));
            while (queue.Count > 0)
            {
                var next = queue.Dequeue();
                if (string.Equals(next, id, StringComparison.Ordinal))
                {
                    return Verdict.Cycle;
                }

                if (reached.Add(next))
                {
                    foreach (var child in ChildrenOf(includes, next))
                    {
                        queue.Enqueue(child);
                    }
                }
            }
        }

        var order = new List<string>();
        if (startAt is not null)
        {
            order.Add(startAt);
        }

        order.AddRange(includes.Keys.Order(StringComparer.Ordinal));
        foreach (var id in order)
        {
            longest[id] = LongestSimplePath(includes, id, []);
        }

        var heights = longest;
        firstTooDeep = order.Find(id => heights[id] > maxDepth);
        return firstTooDeep is null ? Verdict.Ok : Verdict.TooDeep;
    }

    // Enumerates every simple path from the node; exponential, so only for small graphs.
    private static int LongestSimplePath(Dictionary<string, ImmutableArray<string>> includes, string id, HashSet<string> onPath)
    {
        onPath.Add(id);
        var best = 0;
        foreach (var child in ChildrenOf(includes, id))
        {
            if (!onPath.Contains(child))
            {
                best = Math.Max(best, 1 + LongestSimplePath(includes, child, onPath));
            }
        }

        onPath.Remove(id);
        return best;
    }

    private static void AssertRealPath(Dictionary<string, ImmutableArray<string>> includes, ImmutableArray<string> path, string context)
    {
        for (var i = 0; i + 1 < path.Length; i++)
        {
            Assert.True(
                ChildrenOf(includes, path[i]).Contains(path[i + 1], StringComparer.Ordinal),
                $"{context}: {path[i]} does not include {path[i + 1]} (path {string.Join(" -> ", path)}).");
        }
    }

    private static string Describe(Dictionary<string, ImmutableArray<string>> includes) =>
        string.Join("; ", includes.Select(pair => pair.Key + ": [" + string.Join(", ", pair.Value) + "]"));
}
