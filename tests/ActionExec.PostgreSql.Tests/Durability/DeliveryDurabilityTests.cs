using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Targets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ActionExec.PostgreSql.Tests.Durability;

/// <summary>
/// Deliveries survive what kills a replica. Workers are host instances in processes of their own over one schema of the shared
/// server; the test process publishes (it runs no worker) and receives on a loopback Kestrel that counts every delivery id.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveryDurabilityTests(PostgresServer server, ITestOutputHelper output) : StoreInstanceTests(server), IDisposable
{
    private const string Tenant = "durability";
    private const string EventType = "order.shipped";

    /// <summary>Short, so a delivery whose worker died is due again soon: the test waits for it once.</summary>
    private const string LeaseDuration = "ActionExec:Delivery:LeaseDuration=00:00:02";

    private readonly DirectoryInfo _keyRing = Directory.CreateTempSubdirectory("actionexec-keys-");
    private ServiceProvider? _protection;

    [Fact]
    public async Task Worker_SettingUpAndPublishingItself_DeliversEveryEvent()
    {
        const int Events = 20;
        await using var receiver = await DeliveryReceiver.StartAsync();

        await using var worker = await WorkerProcess.StartAsync(Server, Schema, _keyRing.FullName, "Worker:Receiver=" + receiver.Url, "Worker:Publish=" + Events);
        await Wait.UntilAsync(() => receiver.DistinctIds >= Events || worker.HasExited, $"the receiver saw {Events} delivery ids");

        Assert.False(worker.HasExited, worker.Output);
        Assert.Equal(Events, receiver.DistinctIds);
    }

    [Fact]
    public async Task Worker_KilledMidDelivery_AnotherWorkerDeliversEverythingAfterTheLeaseRunsOut()
    {
        const int Events = 20;
        await using var receiver = await DeliveryReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(400);
        var publisher = await PublisherAsync(receiver);
        var dispatcher = publisher.Provider.GetRequiredService<IActionDispatcher>();
        for (var n = 0; n < Events; n++)
        {
            await dispatcher.PublishEventAsync(new FlowContext(Tenant), Event(n));
        }

        var first = await WorkerProcess.StartAsync(Server, Schema, _keyRing.FullName, LeaseDuration, "ActionExec:Delivery:Workers=2");
        await Wait.UntilAsync(() => receiver.Requests >= 2 && receiver.Started > receiver.Requests, "the first worker is mid-delivery");
        await first.KillAsync();
        var answeredBeforeTheKill = receiver.Requests;
        var inFlight = receiver.Started - answeredBeforeTheKill;

        receiver.Delay = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        await using var second = await WorkerProcess.StartAsync(Server, Schema, _keyRing.FullName, LeaseDuration);
        await Wait.UntilAsync(() => receiver.DistinctIds >= Events || second.HasExited, $"the receiver saw all {Events} delivery ids");

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Killed with {answeredBeforeTheKill} of {Events} answered and {inFlight} in flight; the second worker finished {clock.Elapsed.TotalSeconds:F1} s after it started; {receiver.Requests} requests for {receiver.DistinctIds} ids ({receiver.Duplicates.Count} ids twice or more)."));
        Assert.False(second.HasExited, second.Output);
        Assert.True(inFlight >= 1, "The first worker was not killed mid-delivery.");
        Assert.Equal(Events, receiver.DistinctIds);
        Assert.All(Enumerable.Range(0, Events), n => Assert.True(receiver.Received(AggregateId(n)), $"Event {n} was never delivered."));

        // The queue agrees: every delivery finished as delivered, none is left to anyone.
        var caller = Management.ManagementCaller.ForHost(Tenant);
        var completing = Stopwatch.StartNew();
        long delivered;
        while ((delivered = (await publisher.Management.ListDeliveriesAsync(caller, new DeliveryQuery { Status = DeliveryStatus.Delivered })).TotalCount) < Events && completing.Elapsed < Wait.Limit)
        {
            await Task.Delay(50);
        }

        Assert.Equal(Events, delivered);
        Assert.Equal(0, (await publisher.Management.ListDeliveriesAsync(caller, new DeliveryQuery { Status = DeliveryStatus.Pending })).TotalCount);
    }

    [Fact]
    public async Task Server_RestartedUnderLoad_NoDeliveryIsLostAndTheWorkerFinishes()
    {
        await using var receiver = await DeliveryReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(10);
        var publisher = (await PublisherAsync(receiver)).Provider.GetRequiredService<IActionDispatcher>();
        await using var worker = await WorkerProcess.StartAsync(Server, Schema, _keyRing.FullName, LeaseDuration, "ActionExec:PostgreSql:PollInterval=00:00:01");

        // Events go out all along; those the database refused while it was down are the publisher's to retry, not lost.
        var published = new ConcurrentQueue<int>();
        var refused = 0;
        using var stop = new CancellationTokenSource();
        var publishing = Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                try
                {
                    await publisher.PublishEventAsync(new FlowContext(Tenant), Event(n));
                    published.Enqueue(n);
                }
                catch (Exception e) when (e is ActionExecException or Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(50);
                }

                await Task.Delay(5);
            }
        });

        await Wait.UntilAsync(() => receiver.DistinctIds >= 20, "the worker delivers");
        var beforeRestart = receiver.DistinctIds;
        await Server.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await Server.StartAsync();
        await Wait.UntilAsync(() => published.Count >= beforeRestart + 40 || publishing.IsCompleted, "publishing works again");
        await stop.CancelAsync();
        await publishing;

        var clock = Stopwatch.StartNew();
        await Wait.UntilAsync(() => published.All(n => receiver.Received(AggregateId(n))) || worker.HasExited, $"the receiver saw all {published.Count} published events");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Restarted with {beforeRestart} delivered; {published.Count} published ({refused} refused while the database was down), {receiver.DistinctIds} delivery ids received, the last {clock.Elapsed.TotalSeconds:F1} s after publishing stopped; {receiver.Duplicates.Count} ids twice or more."));
        Assert.False(worker.HasExited, worker.Output);
        Assert.All(published, n => Assert.True(receiver.Received(AggregateId(n)), $"Event {n} was published and never delivered."));
    }

    public void Dispose()
    {
        _protection?.Dispose();
        _keyRing.Delete(recursive: true);
    }

    private static string AggregateId(int n) => "order-" + n.ToString(CultureInfo.InvariantCulture);

    private static ActionEvent Event(int n) => new()
    {
        EventType = EventType,
        AggregateId = AggregateId(n),
        AggregateType = "order",
        Sequence = (ulong)n,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Payload = """{"total":42}"""u8.ToArray(),
    };

    /// <summary>
    /// The test's own instance, sharing the workers' key ring: it sets up a target on the receiver for the event and publishes. It
    /// runs no delivery worker: its host is never started.
    /// </summary>
    private async Task<StoreInstance> PublisherAsync(DeliveryReceiver receiver)
    {
        var protection = new ServiceCollection();
        protection.AddDataProtection().SetApplicationName("actionexec-durability").PersistKeysToFileSystem(_keyRing);
        _protection = protection.BuildServiceProvider();
        var instance = Track(StoreInstance.Create(Server, Schema, protection: _protection.GetRequiredService<IDataProtectionProvider>(), applicationName: "durability-publisher"));
        var caller = Management.ManagementCaller.ForHost(Tenant);
        var target = await instance.Management.CreateTargetAsync(caller, new TargetSpec { Name = "receiver", Endpoint = receiver.Url, Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(10) });
        await instance.Management.SetExecutionAsync(caller, Condition.Event(EventType), [ExecutionEntry.ForTarget(target.Target.Id)]);
        return instance;
    }
}
