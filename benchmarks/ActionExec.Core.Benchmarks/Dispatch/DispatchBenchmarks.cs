using System.Text.Json;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using BenchmarkDotNet.Attributes;
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
/// The <see cref="JsonElement"/> overload is the cheap one for a host that already holds the request as parsed JSON: nothing
/// is materialised into a node tree, and a webhook flow returns the same element without parsing anything back.
/// </remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class DispatchBenchmarks
{
    private const string Tenant = "bench";
    private const string Method = "/zitadel.user.v2.UserService/AddHumanUser";
    private const string IdMethod = "/zitadel.user.v2.UserService/AddHumanUserWithIds";

    private static readonly byte[] RequestJson = """
        {"username":"minnie","organization":{"orgId":"69629023906488334"},"profile":{"givenName":"Minnie","familyName":"Mouse","preferredLanguage":"en"},"email":{"email":"minnie@example.com","isVerified":true}}
        """u8.ToArray();

    private readonly NoOpInvoker _invoker = new(readsDeliveryId: false);
    private readonly NoOpInvoker _idInvoker = new(readsDeliveryId: true);
    private ServiceProvider _services = null!;
    private IActionDispatcher _dispatcher = null!;
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
        var snapshot = _services.GetRequiredService<ActionEngine>().GetSnapshotAsync(Tenant).AsTask().GetAwaiter().GetResult();
        _requests = [.. ids.Select((id, i) => snapshot.TryGetResolvedTarget(id, out var target)
            ? new TargetRequest(target, RequestJson, $"delivery-{i}", 1)
            : throw new InvalidOperationException($"The target {id} was not compiled into the snapshot."))];

        // A benchmark that measures the wrong path is worse than none: every target must be called, every run.
        Check(_invoker, () => RunRequestFlow().AsTask().GetAwaiter().GetResult());
        Check(_idInvoker, () => RunRequestFlowReadingIds().AsTask().GetAwaiter().GetResult());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _request.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true)]
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
    public ValueTask<JsonElement> RunRequestFlow() => _dispatcher.RunRequestAsync(_context, Method, _request.RootElement);

    [Benchmark]
    public ValueTask<JsonElement> RunRequestFlowReadingIds() => _dispatcher.RunRequestAsync(_context, IdMethod, _request.RootElement);

    private List<string> Bind(string method, string scheme)
    {
        var admin = new ManagementCaller(Tenant);
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
