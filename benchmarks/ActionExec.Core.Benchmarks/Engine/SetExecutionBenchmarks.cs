using ActionExec.Catalog;
using ActionExec.Conditions;
using ActionExec.Engine;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Storage;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;

namespace ActionExec.Benchmarks.Engine;

/// <summary>
/// One <c>SetExecution</c> into a tenant of 10,000 executions, through the management service and the in-memory
/// store, against recompiling the whole tenant (the baseline): shows that a change does not recompile everything.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SetExecutionBenchmarks
{
    private static readonly Condition Existing = Condition.RequestMethod($"/{TenantGenerator.ServiceName(3)}/Method3");
    private static readonly Condition Added = Condition.RequestMethod("/acme.added.v1.Service/Added");

    private readonly ManagementCaller _caller = ManagementCaller.ForHost(TenantGenerator.TenantId);
    private TenantState _state = null!;
    private ActionEngine _engine = null!;
    private ActionManagementService _service = null!;
    private ExecutionEntry[][] _lists = null!;
    private int _turn;

    [Params(10_000)]
    public int Executions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _state = TenantGenerator.Create(Executions);
        var store = new InMemoryActionStore();
        _engine = new ActionEngine(store, Options.Create(new ActionExecutionOptions()));
        _service = new ActionManagementService(_engine, ActionCatalog.Unrestricted, new AllowAll(), new AllowAll(), TimeProvider.System);
        store.CommitAsync(
            new TenantChange
            {
                TenantId = TenantGenerator.TenantId,
                ExpectedSequence = 0,
                ChangeDate = DateTimeOffset.UtcNow,
                UpsertedTargets = _state.Targets,
                UpsertedExecutions = _state.Executions,
            },
            CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _engine.GetSnapshotAsync(TenantGenerator.TenantId).AsTask().GetAwaiter().GetResult();
        _lists = [[ExecutionEntry.ForTarget("target-1")], [ExecutionEntry.ForTarget("target-2"), ExecutionEntry.ForTarget("target-1")]];
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark(Baseline = true)]
    public object RecompileWholeTenant() => ActionSnapshot.Create(_state, MatchPolicy.BestMatch);

    [Benchmark]
    public async Task<SetExecutionResult> SetExistingExecution() =>
        await _service.SetExecutionAsync(_caller, Existing, _lists[_turn++ & 1]);

    [Benchmark]
    public async Task<SetExecutionResult> AddOrRemoveExecution() =>
        await _service.SetExecutionAsync(_caller, Added, (_turn++ & 1) == 0 ? _lists[0] : []);

    private sealed class AllowAll : IActionPermissionChecker, IActionFeatureFlags
    {
        public ValueTask<bool> HasPermissionAsync(ManagementCaller caller, string permission, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<bool> IsActionsEnabledAsync(string tenantId, CancellationToken cancellationToken) => ValueTask.FromResult(true);
    }
}
