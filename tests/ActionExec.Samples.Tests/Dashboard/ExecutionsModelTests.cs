using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ActionExec.Includes;
using ActionExec.Samples.Tests.Support;
using CsCheck;
using OpenQA.Selenium;

namespace ActionExec.Samples.Tests.Dashboard;

/// <summary>
/// The dashboard's <c>executions-model.js</c>, run in the browser, against Core: its include check must give the answer
/// Core's <see cref="IncludeGraph"/> gives when an execution is set (SPEC §3 step 8), so that the page refuses a save for the
/// reason the server would, in the same words.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ExecutionsModelTests(DashboardBrowser browser)
{
    private const string Script = """
        const [cases, done] = arguments;
        import(new URL('executions-model.js', document.baseURI).href)
          .then((model) => done(JSON.stringify(cases.map((c) => model.checkIncludeGraph(new Map(c.graph), c.maxDepth, c.startAt)?.message ?? null))))
          .catch((error) => done(JSON.stringify({ error: String(error) })));
        """;

    // Graphs of 1 to 7 executions; half are acyclic by construction (edges only go to a higher index), so depth problems are
    // as common as cycles. Node 'size' is never a key: an include of an execution without includes of its own, or missing.
    private static readonly Gen<GraphCase> GraphCases =
        from size in Gen.Int[1, 7]
        from acyclicOnly in Gen.Bool
        from lists in Gen.Int[0, size].Array[0, 3].Array[size]
        from keys in Gen.Bool.Array[size]
        from maxDepth in Gen.Int[0, 3]
        from start in Gen.Int[-1, size]
        select Build(size, acyclicOnly, lists, keys, maxDepth, start);

    [Fact]
    public void CheckIncludeGraph_AnySmallGraph_AnswersAsCoreDoes()
    {
        browser.SignIn(SampleHost.AdminKey);
        browser.Open("executions");
        var verdicts = new Dictionary<string, int>(StringComparer.Ordinal) { ["ok"] = 0, ["cycle"] = 0, ["depth"] = 0 };

        // One browser call checks a batch; CsCheck shrinks a failing batch down to the graph that differs.
        GraphCases.Array[50].Sample(
            cases =>
            {
                var answers = InBrowser(cases);
                for (var i = 0; i < cases.Length; i++)
                {
                    var core = IncludeGraph.Check(cases[i].Includes, cases[i].MaxDepth, cases[i].StartAt)?.Message;
                    verdicts[core is null ? "ok" : core.StartsWith("include cycle", StringComparison.Ordinal) ? "cycle" : "depth"]++;
                    Assert.True(string.Equals(core, answers[i], StringComparison.Ordinal), $"{cases[i]}: Core answers '{core}', the page '{answers[i]}'.");
                }
            },
            iter: 20,
            threads: 1,
            print: static cases => string.Join("; ", cases.Select(static c => c.ToString())));

        Assert.All(verdicts.Values, count => Assert.True(count > 50, $"verdict counts: {string.Join(", ", verdicts)}"));
        browser.AssertNoErrors();
    }

    /// <summary>The page's answers for a batch; Selenium passes lists and dictionaries to the script as arrays and objects.</summary>
    private string?[] InBrowser(GraphCase[] cases)
    {
        var payload = cases.Select(static c => new Dictionary<string, object?>
        {
            ["graph"] = c.Includes.Select(static pair => new List<object> { pair.Key, pair.Value.ToList() }).ToList(),
            ["maxDepth"] = c.MaxDepth,
            ["startAt"] = c.StartAt,
        }).ToList();
        var json = (string)((IJavaScriptExecutor)browser.Driver).ExecuteAsyncScript(Script, payload)!;
        Assert.DoesNotContain("\"error\"", json, StringComparison.Ordinal);
        return JsonSerializer.Deserialize<string?[]>(json)!;
    }

    private static GraphCase Build(int size, bool acyclicOnly, int[][] lists, bool[] keys, int maxDepth, int start)
    {
        var includes = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        for (var i = 0; i < size; i++)
        {
            if (!keys[i] && i > 0)
            {
                continue;
            }

            var list = lists[i].Where(j => !acyclicOnly || j > i).Select(Node);
            includes[Node(i)] = [.. list];
        }

        return new GraphCase(includes, maxDepth, start < 0 ? null : Node(start));
    }

    private static string Node(int i) => "request/n" + i.ToString(CultureInfo.InvariantCulture);

    private sealed record GraphCase(Dictionary<string, ImmutableArray<string>> Includes, int MaxDepth, string? StartAt)
    {
        public override string ToString() =>
            "{" + string.Join(", ", Includes.Select(static p => $"{p.Key}: [{string.Join(", ", p.Value)}]")) + $"}}, maxDepth {MaxDepth}, startAt {StartAt ?? "null"}";
    }
}
