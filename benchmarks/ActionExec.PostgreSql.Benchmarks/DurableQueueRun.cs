using System.Diagnostics;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>
/// The durable queue end to end: events published through the dispatcher (one enqueue each) by the producers, leased, delivered to
/// a no-op <c>inproc</c> target and completed by the delivery worker of the same instance with <c>Workers</c> workers.
/// </summary>
internal sealed class DurableQueueRun : IAsyncDisposable
{
    private const string Tenant = "throughput";
    private const string EventType = "order.shipped";

    /// <summary>The deliveries the worker leases ahead of its workers: what a host that wants throughput sets.</summary>
    internal const int LeaseBatchSize = 16;

    private readonly BenchInstance _instance;
    private readonly CountingInvoker _invoker;
    private readonly IActionDispatcher _dispatcher;
    private readonly IDeliveryQueue _queue;
    private long _next;

    private DurableQueueRun(BenchInstance instance, CountingInvoker invoker)
    {
        _instance = instance;
        _invoker = invoker;
        _dispatcher = instance.Services.GetRequiredService<IActionDispatcher>();
        _queue = instance.Services.GetRequiredService<IDeliveryQueue>();
    }

    public static async Task<DurableQueueRun> StartAsync(string connectionString, string schema, int workers)
    {
        var invoker = new CountingInvoker();
        var instance = await BenchInstance.StartAsync(connectionString, schema, b => b
            .AddTargetInvoker("inproc", invoker)
            .ConfigureDelivery(o =>
            {
                o.Workers = workers;
                o.LeaseBatchSize = LeaseBatchSize;
            }));
        // A benchmark that measures the wrong queue is worse than none.
        var queue = instance.Services.GetRequiredService<IDeliveryQueue>();
        if (queue.GetType().Assembly != typeof(PostgreSqlStoreOptions).Assembly)
        {
            await instance.DisposeAsync();
            throw new InvalidOperationException($"AddPostgreSql registered {queue.GetType().Name} as the delivery queue, not the PostgreSQL queue; there is nothing durable to measure.");
        }

        var management = instance.Services.GetRequiredService<IActionManagement>();
        var caller = ManagementCaller.ForHost(Tenant);
        var target = await management.CreateTargetAsync(caller, new TargetSpec { Name = "noop", Endpoint = "inproc://noop", Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(10) });
        await management.SetExecutionAsync(caller, Condition.Event(EventType), [ExecutionEntry.ForTarget(target.Target.Id)]);
        return new DurableQueueRun(instance, invoker);
    }

    /// <summary>Publishes <paramref name="events"/> events and waits until the target got every one; returns how long it took.</summary>
    public async Task<TimeSpan> RunAsync(int events, int producers, byte[] payload)
    {
        var target = _invoker.Calls + events;
        var published = 0;
        var context = new FlowContext(Tenant);
        var clock = Stopwatch.StartNew();
        var producing = Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref published) <= events)
            {
                var n = Interlocked.Increment(ref _next);
                await _dispatcher.PublishEventAsync(context, new ActionEvent
                {
                    EventType = EventType,
                    AggregateId = "order-" + n,
                    AggregateType = "order",
                    Sequence = (ulong)n,
                    CreatedAt = DateTimeOffset.UtcNow,
                    Payload = payload,
                });
            }
        }));
        await Task.WhenAll(producing);
        PublishedAfter = clock.Elapsed;
        while (_invoker.Calls < target)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new InvalidOperationException($"The durable queue delivered {events - (target - _invoker.Calls)} of {events} events in 2 minutes.");
            }

            await Task.Delay(1);
        }

        var elapsed = clock.Elapsed;

        // The last completions land after the last call: wait for them outside the measured time, so rounds do not overlap.
        while (await _queue.CountAsync(CancellationToken.None) > 0)
        {
            await Task.Delay(10);
        }

        return elapsed;
    }

    /// <summary>How long the last round's producers took to publish (enqueue) every event: the part of the round not spent waiting for the worker.</summary>
    public TimeSpan PublishedAfter { get; private set; }

    public ValueTask DisposeAsync() => _instance.DisposeAsync();
}
