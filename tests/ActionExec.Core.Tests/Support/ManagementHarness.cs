using ActionExec.AspNetCore.Wire;
using ActionExec.Catalog;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Storage;
using ActionExec.Targets;
using ActionExec.TestConsole;
using Microsoft.Extensions.Options;
using NSubstitute;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Support;

/// <summary>An engine and a management service over an in-memory store, with a fake clock and substitutable permissions and features.</summary>
internal sealed class ManagementHarness : IDisposable
{
    public const string Tenant = "69629023906488334";

    public ManagementHarness(
        ActionExecutionOptions? options = null,
        ActionCatalog? catalog = null,
        InMemoryActionStore? store = null)
    {
        Options = options ?? new ActionExecutionOptions();
        Store = store ?? new InMemoryActionStore();
        Permissions.HasPermissionAsync(default!, default!, default).ReturnsForAnyArgs(true);
        Features.IsActionsEnabledAsync(default!, default).ReturnsForAnyArgs(true);
        Engine = new ActionEngine(Store, Microsoft.Extensions.Options.Options.Create(Options));
        Deliveries = new InMemoryDeliveryQueue(Microsoft.Extensions.Options.Options.Create(new DeliveryOptions()), Time);
        Service = new ActionManagementService(Engine, catalog ?? ActionCatalog.Unrestricted, Permissions, Features, Time, history: Deliveries);
    }

    /// <summary>The delivery queue whose history the service reads and replays.</summary>
    public InMemoryDeliveryQueue Deliveries { get; }

    public ActionExecutionOptions Options { get; }

    public InMemoryActionStore Store { get; }

    public FakeTimeProvider Time { get; } = new(TestTime.Start);

    public IActionPermissionChecker Permissions { get; } = Substitute.For<IActionPermissionChecker>();

    public IActionFeatureFlags Features { get; } = Substitute.For<IActionFeatureFlags>();

    public ActionEngine Engine { get; }

    public ActionManagementService Service { get; }

    public ManagementCaller Caller { get; } = ManagementCaller.ForUser(Tenant, TestUsers.Administrator);

    /// <summary>The JSON entry points of the HTTP handlers over this harness's service, permissions and features.</summary>
    public ManagementJsonCalls Json
    {
        get
        {
            var options = Substitute.For<IOptionsMonitor<ActionExecutionOptions>>();
            options.CurrentValue.Returns(Options);
            var invoker = Substitute.For<ITargetInvoker>();
            var invokers = new TargetInvokerRegistry([new("http", invoker), new("https", invoker)]);
            return new ManagementJsonCalls(Service, Substitute.For<IActionTestConsole>(), Permissions, Features, options, invokers);
        }
    }

    public async Task<string> CreateTargetAsync(string name, TargetType type = TargetType.Webhook, bool interrupt = false, ManagementCaller? caller = null)
    {
        var created = await Service.CreateTargetAsync(caller ?? Caller, new TargetSpec
        {
            Name = name,
            Endpoint = $"https://{name}.example.com/hook",
            Type = type,
            Timeout = TimeSpan.FromSeconds(10),
            InterruptOnError = interrupt,
        });
        return created.Target.Id;
    }

    public Task<SetExecutionResult> SetAsync(Condition condition, params ExecutionEntry[] entries) =>
        Service.SetExecutionAsync(Caller, condition, entries).AsTask();

    public async Task<ActionSnapshot> SnapshotAsync() => await Engine.GetSnapshotAsync(Tenant);

    public static ExecutionEntry T(string id) => ExecutionEntry.ForTarget(id);

    public static ExecutionEntry I(Condition condition) => ExecutionEntry.ForInclude(condition);

    public void Dispose()
    {
        Engine.Dispose();
        Deliveries.Dispose();
    }
}
