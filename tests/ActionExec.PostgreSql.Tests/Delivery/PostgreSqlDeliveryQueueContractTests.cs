using ActionExec.Delivery;
using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Tests.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.PostgreSql.Tests.Delivery;

/// <summary>The delivery queue contract, met by the PostgreSQL queue: each test in a schema of its own, on the fake clock.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlDeliveryQueueContractTests(PostgresServer server) : DeliveryQueueContract
{
    private readonly string _schema = PostgresServer.NewSchema();
    private readonly List<StoreInstance> _instances = [];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    protected override async Task<IDeliveryQueue> CreateQueueAsync(FakeTimeProvider time, DeliveryOptions options)
    {
        var instance = StoreInstance.Create(server, _schema, services: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton(Options.Create(options));
        });
        _instances.Add(instance);
        await instance.Store.EnsureReadyAsync(CancellationToken.None);
        return instance.Queue;
    }
}
