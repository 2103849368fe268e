using ActionExec.PostgreSql.Tests.Support;

namespace ActionExec.PostgreSql.Tests.Durability;

/// <summary>
/// Deliveries survive what kills a replica: host instances run in processes of their own, over one schema of the shared server,
/// delivering to a loopback receiver that counts every delivery id.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveryDurabilityTests(PostgresServer server) : StoreInstanceTests(server), IDisposable
{
    private readonly DirectoryInfo _keyRing = Directory.CreateTempSubdirectory("actionexec-keys-");

    [Fact]
    public async Task WorkerProcess_PublishingItself_DeliversEveryEventOnce()
    {
        const int Events = 20;
        await using var receiver = await DeliveryReceiver.StartAsync();
        await using var worker = await WorkerProcess.StartAsync(Server, Schema, _keyRing.FullName, "Worker:Receiver=" + receiver.Url, "Worker:Publish=" + Events);

        await Wait.UntilAsync(() => receiver.DistinctIds == Events || worker.HasExited, $"the receiver saw {Events} deliveries");

        Assert.False(worker.HasExited, worker.Output);
        Assert.Equal(Events, receiver.DistinctIds);
    }

    public void Dispose() => _keyRing.Delete(recursive: true);
}
