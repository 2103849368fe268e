using System.Text.Json;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Benchmarks.Dispatch;

/// <summary>
/// A request flow whose execution has N webhook targets on a no-op <c>inproc</c> invoker, run through
/// <see cref="ActionDispatcherExtensions.RunRequestAsync(IActionDispatcher, FlowContext, string, JsonElement, CancellationToken)"/>, against calling that
/// invoker N times directly with a prebuilt <see cref="TargetRequest"/> (the baseline). The difference is what the dispatcher
/// adds: matching, the payload, the deadline, the id, classification, telemetry and logging. A second execution runs the same
/// flow on an invoker that reads every request's <c>webhook-id</c>, as any invoker that sends the request does.
/// </summary>
/// <remarks>
/// <para>The <c>NoMatch</c> category is the call every host pays on every method: a request flow whose method matches no
/// execution, against the match lookup alone (the engine's snapshot and its <see cref="ActionSnapshot.Match"/>, the
/// baseline of that category). The goal is at most 1.2 times the lookup and nothing allocated.</para>
/// <para>The <see cref="JsonElement"/> overload is the cheap one for a host that already holds the request as parsed JSON: nothing
/// is materialised into a node tree, and a webhook flow returns the same element without parsing anything back.</para>
/// <para>Every flow goes through <see cref="RunRequest(string)"/>, the one place to change when the dispatcher's entry
/// point changes.</para>
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MinColumn]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
[IterationTime(200)]
public class DispatchBenchmarks
{
    private const string Tenant = "bench";
    private const string Method = "/zitadel.user.v2.UserService/AddHumanUser";
    private const string IdMethod = "/zitadel.user.v2.UserService/AddHumanUserWithIds";
    private const string NoMatchMethod = "/zitadel.org.v2.OrganizationService/ListOrganizations";
    private const string PerTarget = "PerTarget";
    private const string NoMatch = "NoMatch";

    private static readonly byte[] RequestJson = """
        {"username":"minnie","organization":{"orgId":"69629023906488334"},"profile":{"givenName":"Minnie","familyName":"Mouse","preferredLanguage":"en"},"email":{"email":"minnie@example.com","isVerified":true}}
        """u8.ToArray();

    private readonly NoOpInvoker _invoker = new(readsDeliveryId: false);
    private readonly NoOpInvoker _idInvoker = new(readsDeliveryId: true);
    private ServiceProvider _services = null!;
    private IActionDispatcher _dispatcher = null!;
    private ActionEngine _engine = null!;
    private FlowContext _context = null!;
    private JsonDocument _request = null!;
    private TargetRequest[] _requests = [];

    [Params(1, 3, 10)]
    public int Targets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddActionExecutions().AddTargetInvoker("inproc", _invoker).AddTargetInvoker("inproc-ids", _idInvoker);
        _services = services.BuildServiceProvider();
        _dispatcher = _services.GetRequiredService<IActionDispatcher>();
        _request = JsonDocument.Parse(RequestJson);
        _context = new FlowContext(Tenant)
        {
            OrgId = "69629023906488334",
            UserId = "69629026806489455",
            Headers = [new("Content-Type", ["application/json"]), new("Authorization", ["Bearer not-sent"]), new("X-Forwarded-For", ["203.0.113.7"])],
        };

        var ids = Bind(Method, "inproc");
        Bind(IdMethod, "inproc-ids");
        _engine = _services.GetRequiredService<ActionEngine>();
        var snapshot = _engine.GetSnapshotAsync(Tenant).AsTask().GetAwaiter().GetResult();
        _requests = [.. ids.Select((id, i) => snapshot.TryGetResolvedTarget(id, out var target)
            ? new TargetRequest(target, RequestJson, $"delivery-{i}", 1)
            : throw new InvalidOperationException($"The target {id} was not compiled into the snapshot."))];

        // A benchmark that measures the wrong path is worse than none: every target must be called, every run.
        Check(_invoker, () => RunRequestFlow().AsTask().GetAwaiter().GetResult());
        Check(_idInvoker, () => RunRequestFlowReadingIds().AsTask().GetAwaiter().GetResult());
        CheckNoMatch();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _request.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(PerTarget)]
    public async ValueTask<int> InvokeDirectly()
    {
        var status = 0;
        foreach (var request in _requests)
        {
            status += (await _invoker.InvokeAsync(request, CancellationToken.None).ConfigureAwait(false)).StatusCode;
        }

        return status;
    }

    [Benchmark]
    [BenchmarkCategory(PerTarget)]
    public ValueTask<JsonElement> RunRequestFlow() => RunRequest(Method);

    [Benchmark]
    [BenchmarkCategory(PerTarget)]
    public ValueTask<JsonElement> RunRequestFlowReadingIds() => RunRequest(IdMethod);

    // What a dispatcher cannot avoid on a method nobody configured: find the tenant's snapshot and ask it.
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(NoMatch)]
    public bool MatchLookup() => _engine.TryGetSnapshot(Tenant, out var snapshot) && snapshot.Match(ConditionKind.Request, NoMatchMethod) is not null;

    [Benchmark]
    [BenchmarkCategory(NoMatch)]
    public ValueTask<JsonElement> RunRequestFlowNoMatch() => RunRequest(NoMatchMethod);

    private ValueTask<JsonElement> RunRequest(string method) => _dispatcher.RunRequestAsync(_context, method, _request.RootElement);

    private List<string> Bind(string method, string scheme)
    {
        var admin = ManagementCaller.ForHost(Tenant);
        var management = _services.GetRequiredService<IActionManagement>();
        var ids = new List<string>();
        for (var i = 0; i < Targets; i++)
        {
            var created = management.CreateTargetAsync(admin, new TargetSpec
            {
                Name = $"{scheme}-{i}",
                Endpoint = $"{scheme}://hooks/{i}",
                Type = TargetType.Webhook,
                Timeout = TimeSpan.FromSeconds(10),
            }).AsTask().GetAwaiter().GetResult();
            ids.Add(created.Target.Id);
        }

        management.SetExecutionAsync(admin, Condition.RequestMethod(method), [.. ids.Select(ExecutionEntry.ForTarget)]).AsTask().GetAwaiter().GetResult();
        return ids;
    }

    // The no-match flow must find nothing, call nothing and hand the request back as it came.
    private void CheckNoMatch()
    {
        var before = _invoker.Calls + _idInvoker.Calls;
        var result = RunRequestFlowNoMatch().AsTask().GetAwaiter().GetResult();
        if (MatchLookup() || _invoker.Calls + _idInvoker.Calls != before || !JsonElement.DeepEquals(result, _request.RootElement))
        {
            throw new InvalidOperationException($"The method {NoMatchMethod} matched an execution or its flow called a target; the no-match case measures nothing.");
        }
    }

    private void Check(NoOpInvoker invoker, Action run)
    {
        var before = invoker.Calls;
        run();
        if (invoker.Calls - before != Targets)
        {
            throw new InvalidOperationException($"The flow made {invoker.Calls - before} calls instead of {Targets}.");
        }
    }
}
