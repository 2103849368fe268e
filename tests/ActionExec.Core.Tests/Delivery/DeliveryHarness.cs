using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Delivery;

/// <summary>
/// ActionExec as a host registers it, with a fake clock, the scripted <c>inproc</c> invoker, a recording dead-letter observer
/// and recorded logs. The worker runs only once <see cref="StartAsync"/> is called.
/// </summary>
internal sealed class DeliveryHarness : IAsyncDisposable
{
    public const string Tenant = "tenant-1";
    public const string EventType = "user.human.added";

    private bool _started;

    public DeliveryHarness(Action<DeliveryOptions>? configure = null, Action<IActionExecutionsBuilder>? build = null, bool watchLeases = false)
    {
        Invoker = new ScriptedInvoker(Time);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(Logs);
        services.AddSingleton(typeof(ILogger<>), typeof(RecordingLogger<>));
        // Some suites deliver over HTTP to a receiver on loopback, which the endpoint policy denies by default.
        var builder = services.AddActionExecutions().AddHttpTargets(static o => o.AllowLoopback()).AddTargetInvoker("inproc", Invoker);
        build?.Invoke(builder);
        if (watchLeases)
        {
            services.AddSingleton(static sp => new LeaseWatchingQueue(ActivatorUtilities.CreateInstance<InMemoryDeliveryQueue>(sp)));
            services.Replace(ServiceDescriptor.Singleton<IDeliveryQueue>(static sp => sp.GetRequiredService<LeaseWatchingQueue>()));
        }

        builder.AddDeadLetterObserver(Observer).ConfigureDelivery(o =>
        {
            o.Workers = 1;
            configure?.Invoke(o);
        });
        Provider = services.BuildServiceProvider();
        Management = Provider.GetRequiredService<IActionManagement>();
        Dispatcher = Provider.GetRequiredService<IActionDispatcher>();
        Worker = Provider.GetRequiredService<DeliveryWorker>();
        var queue = Provider.GetRequiredService<IDeliveryQueue>();
        Watch = queue as LeaseWatchingQueue;
        Queue = Watch?.Inner ?? (InMemoryDeliveryQueue)queue;
        Start = Time.GetUtcNow();
    }

    public FakeTimeProvider Time { get; } = new(TestTime.Start);

    public DateTimeOffset Start { get; }

    public LogSink Logs { get; } = new();

    public ScriptedInvoker Invoker { get; }

    public RecordingDeadLetterObserver Observer { get; } = new();

    public ServiceProvider Provider { get; }

    public IActionManagement Management { get; }

    public IActionDispatcher Dispatcher { get; }

    public DeliveryWorker Worker { get; }

    public InMemoryDeliveryQueue Queue { get; }

    /// <summary>The queue the worker uses, when the harness was made with <c>watchLeases</c>.</summary>
    public LeaseWatchingQueue? Watch { get; }

    public DeliveryStatistics Statistics => Worker.Statistics;

    public ManagementCaller Caller { get; } = ManagementCaller.ForHost(Tenant);

    public FlowContext Context { get; } = new(Tenant);

    /// <summary>Deliveries that left the queue, delivered or dead-lettered.</summary>
    public long Finished => Statistics.Delivered + Statistics.DeadLettered;

    public async Task StartAsync()
    {
        _started = true;
        await Worker.StartAsync(CancellationToken.None);
    }

    public async Task<string> CreateTargetAsync(string name, TargetType type = TargetType.Webhook, bool interrupt = false)
    {
        var created = await Management.CreateTargetAsync(Caller, new TargetSpec
        {
            Name = name,
            Endpoint = $"inproc://{name}",
            Type = type,
            Timeout = TimeSpan.FromSeconds(10),
            InterruptOnError = interrupt,
        });
        return created.Target.Id;
    }

    public async Task SetExecutionAsync(Condition condition, params string[] targetIds) =>
        await Management.SetExecutionAsync(Caller, condition, [.. targetIds.Select(ExecutionEntry.ForTarget)]);

    /// <summary>Creates webhook targets with these names, binds them in order to <see cref="EventType"/>, and returns their ids.</summary>
    public async Task<ImmutableArray<string>> BindEventAsync(params string[] names)
    {
        var ids = ImmutableArray.CreateBuilder<string>();
        foreach (var name in names)
        {
            ids.Add(await CreateTargetAsync(name));
        }

        await SetExecutionAsync(Condition.Event(EventType), [.. ids]);
        return ids.ToImmutable();
    }

    public ValueTask PublishAsync(string aggregateId = "agg-1", string payload = "{}") =>
        Dispatcher.PublishEventAsync(Context, new ActionEvent
        {
            EventType = EventType,
            AggregateId = aggregateId,
            AggregateType = "user",
            Sequence = 1,
            CreatedAt = Time.GetUtcNow(),
            Payload = System.Text.Encoding.UTF8.GetBytes(payload),
        });

    /// <summary>Waits until the worker has put a retry back in the queue, due at <paramref name="dueAt"/>.</summary>
    public Task WaitForRetryDueAtAsync(DateTimeOffset dueAt) =>
        Eventually.WaitUntilAsync(() => Queue.NextDueAt == dueAt, $"a retry is due at {dueAt:O} (next due: {Queue.NextDueAt:O})");

    public Task WaitForCallsAsync(int count) =>
        Eventually.WaitUntilAsync(() => Invoker.Calls.Count >= count, $"{count} calls were made (made: {Invoker.Calls.Count})");

    public Task WaitForFinishedAsync(long count) =>
        Eventually.WaitUntilAsync(() => Finished >= count, $"{count} deliveries finished (finished: {Finished})");

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            // A real-time limit so that a test that left a call hanging fails instead of hanging the run.
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Worker.StopAsync(limit.Token);
        }

        await Provider.DisposeAsync();
    }
}
