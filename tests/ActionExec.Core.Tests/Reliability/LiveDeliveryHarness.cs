using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.Tests.Reliability;

/// <summary>
/// ActionExec as a host registers it, on the real clock and real HTTP: the in-memory queue, the delivery worker, a recording
/// dead-letter observer and recorded logs. The worker runs only once <see cref="StartAsync"/> is called.
/// </summary>
internal sealed class LiveDeliveryHarness : IAsyncDisposable
{
    public const string Tenant = "tenant-live";

    private bool _started;

    public LiveDeliveryHarness(Action<DeliveryOptions> configure, Action<IActionExecutionsBuilder>? build = null, bool allowLoopback = true)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Logs);
        services.AddSingleton(typeof(ILogger<>), typeof(RecordingLogger<>));
        var builder = services.AddActionExecutions().AddDeadLetterObserver(Observer).ConfigureDelivery(configure);
        if (allowLoopback)
        {
            // The fault server is on loopback, which the endpoint policy denies by default.
            builder.AddHttpTargets(static o => o.AllowLoopback());
        }

        build?.Invoke(builder);
        Provider = services.BuildServiceProvider();
        Management = Provider.GetRequiredService<IActionManagement>();
        Dispatcher = Provider.GetRequiredService<IActionDispatcher>();
        Worker = Provider.GetRequiredService<DeliveryWorker>();
        Queue = Provider.GetRequiredService<IDeliveryQueue>();
    }

    public LogSink Logs { get; } = new();

    public RecordingDeadLetterObserver Observer { get; } = new();

    public ServiceProvider Provider { get; }

    public IActionManagement Management { get; }

    public IActionDispatcher Dispatcher { get; }

    public DeliveryWorker Worker { get; }

    public IDeliveryQueue Queue { get; }

    public DeliveryStatistics Statistics => Worker.Statistics;

    public long Finished => Statistics.Delivered + Statistics.DeadLettered;

    public ManagementCaller Caller { get; } = ManagementCaller.ForHost(Tenant);

    public FlowContext Context { get; } = new(Tenant);

    public async Task StartAsync()
    {
        _started = true;
        await Worker.StartAsync(CancellationToken.None);
    }

    public async Task<string> CreateTargetAsync(string name, string endpoint, TargetType type = TargetType.Webhook, TimeSpan? timeout = null)
    {
        var created = await Management.CreateTargetAsync(Caller, new TargetSpec
        {
            Name = name,
            Endpoint = endpoint,
            Type = type,
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
        });
        return created.Target.Id;
    }

    public async Task SetExecutionAsync(Condition condition, params string[] targetIds) =>
        await Management.SetExecutionAsync(Caller, condition, [.. targetIds.Select(ExecutionEntry.ForTarget)]);

    public ValueTask PublishAsync(string eventType, string aggregateId) =>
        Dispatcher.PublishEventAsync(Context, new ActionEvent
        {
            EventType = eventType,
            AggregateId = aggregateId,
            AggregateType = "order",
            Sequence = 1,
            CreatedAt = DateTimeOffset.UtcNow,
        });

    public Task WaitForFinishedAsync(long count) =>
        Eventually.WaitUntilAsync(() => Finished >= count, $"{count} deliveries finished (finished: {Finished})");

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Worker.StopAsync(limit.Token);
        }

        await Provider.DisposeAsync();
    }
}
