using System.Text;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Http;
using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ActionExec.PostgreSql.Tests.Delivery;

/// <summary>The transactional outbox: an event's delivery follows the host's own transaction. No worker runs here.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlOutboxTests(PostgresServer server) : StoreInstanceTests(server)
{
    private const string EventType = "user.human.added";

    [Fact]
    public async Task PublishEventAsync_HostRollsBack_QueuesNothing()
    {
        var instance = await OpenBoundAsync();
        await using var connection = await Server.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await WriteDomainRowAsync(connection, transaction, "u1");
            await instance.Outbox.PublishEventAsync(transaction, new FlowContext(StoreInstance.Tenant), Event("u1"));
            Assert.Equal(0L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.deliveries"));
            await transaction.RollbackAsync();
        }

        Assert.Equal(0L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.deliveries"));
        Assert.Equal(0L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.domain_users"));
    }

    [Fact]
    public async Task PublishEventAsync_HostCommits_QueuesExactlyOnceAndNotifiesOnCommit()
    {
        var instance = await OpenBoundAsync();
        await using var listener = await Server.OpenAsync();
        var notified = 0;
        listener.Notification += (_, _) => Interlocked.Increment(ref notified);
        await using (var listen = new NpgsqlCommand($"LISTEN \"{instance.Queue.Channel}\"", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await using var connection = await Server.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await WriteDomainRowAsync(connection, transaction, "u1");
            await instance.Outbox.PublishEventAsync(transaction, new FlowContext(StoreInstance.Tenant), Event("u1"));
            await listener.WaitAsync(TimeSpan.FromMilliseconds(200));
            Assert.Equal(0, Volatile.Read(ref notified));
            await transaction.CommitAsync();
        }

        await listener.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, Volatile.Read(ref notified));
        Assert.Equal(1L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.deliveries WHERE status = 0 AND source LIKE '%{EventType}'"));
        Assert.Equal(1L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.domain_users"));
        Assert.Equal(1L, await instance.Queue.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task PublishEventAsync_InMemoryQueue_ThrowsNamingTheOptionAndPublishesNothing()
    {
        var instance = await OpenBoundAsync(durable: false);
        await using var connection = await Server.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await instance.Outbox.PublishEventAsync(transaction, new FlowContext(StoreInstance.Tenant), Event("u1")));

        Assert.Contains("DurableDelivery", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.deliveries"));
    }

    [Fact]
    public async Task PublishEventAsync_TransactionAlreadyCommitted_ThrowsNamingTheParameter()
    {
        var instance = await OpenBoundAsync();
        await using var connection = await Server.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await transaction.CommitAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await instance.Outbox.PublishEventAsync(transaction, new FlowContext(StoreInstance.Tenant), Event("u1")));

        Assert.Equal("transaction", error.ParamName);
    }

    [Fact]
    public async Task PublishEventAsync_AfterTheScope_PublishingWithoutATransactionUsesTheQueuesOwnConnection()
    {
        var instance = await OpenBoundAsync();
        await using var connection = await Server.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await instance.Outbox.PublishEventAsync(transaction, new FlowContext(StoreInstance.Tenant), Event("u1"));
            await transaction.RollbackAsync();
        }

        await instance.Dispatcher.PublishEventAsync(new FlowContext(StoreInstance.Tenant), Event("u2"));

        Assert.Equal(1L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.deliveries"));
    }

    private static ActionEvent Event(string aggregateId) => new()
    {
        EventType = EventType,
        AggregateId = aggregateId,
        AggregateType = "user",
        Sequence = 1,
        CreatedAt = DateTimeOffset.UtcNow,
        Payload = Encoding.UTF8.GetBytes("""{"name":"Ada"}"""),
    };

    /// <summary>An instance whose tenant has one webhook bound to the event; its endpoint is loopback and never called here.</summary>
    private async Task<StoreInstance> OpenBoundAsync(bool durable = true)
    {
        var instance = Track(StoreInstance.Create(Server, Schema, o => o.DurableDelivery = durable, services: static s => s.Configure<HttpTargetOptions>(o => o.AllowLoopback())));
        var target = await instance.Management.CreateTargetAsync(instance.Caller, new TargetSpec
        {
            Name = "audit",
            Endpoint = "http://127.0.0.1:9/hook",
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(2),
        });
        await instance.Management.SetExecutionAsync(instance.Caller, Condition.Event(EventType), [ExecutionEntry.ForTarget(target.Target.Id)]);
        await Server.ScalarAsync($"CREATE TABLE IF NOT EXISTS {Schema}.domain_users (id text PRIMARY KEY)");
        return instance;
    }

    private async Task WriteDomainRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string id)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {Schema}.domain_users (id) VALUES ($1)", connection, transaction) { Parameters = { new() { Value = id } } };
        await command.ExecuteNonQueryAsync();
    }
}
