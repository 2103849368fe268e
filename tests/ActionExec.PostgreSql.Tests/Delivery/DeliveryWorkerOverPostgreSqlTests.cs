using System.Text;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Http;
using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Signatures;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.PostgreSql.Tests.Delivery;

/// <summary>
/// Publishing on one instance and delivering from the worker of another, over the durable queue, to a real receiver on loopback:
/// the history each attempt leaves, and a replay.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveryWorkerOverPostgreSqlTests(PostgresServer server) : StoreInstanceTests(server), IAsyncLifetime
{
    private const string EventType = "user.human.added";
    private const string Hook = "/hook";

    private LoopbackReceiver _receiver = null!;

    async Task IAsyncLifetime.InitializeAsync() => _receiver = await LoopbackReceiver.StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task PublishEventAsync_WorkerOnAnotherInstance_DeliversOnceWithTheDeliveryIdAsWebhookIdAndRecordsTheAttempt()
    {
        _receiver.Answer(Hook, ReceiverAnswer.Ok);
        var publisher = Open();
        var worker = await StartWorkerAsync();
        var targetId = await BindAsync(publisher);

        await Publish(publisher, "u1");

        await Wait.UntilAsync(() => _receiver.RequestsTo(Hook).Count == 1, "the receiver got the event");
        var id = (string)(await Server.ScalarAsync($"SELECT id FROM {Schema}.deliveries"))!;
        Assert.Equal(id, Assert.Single(_receiver.RequestsTo(Hook)).Headers[WebhookSigner.WebhookIdHeader].Single());
        var record = await WaitForStatusAsync(worker, id, DeliveryStatus.Delivered);
        var attempt = Assert.Single(record.Attempts);
        Assert.Equal((targetId, 1, DeliveryAttemptOutcome.Succeeded, (int?)200, (string?)null), (attempt.TargetId, attempt.Attempt, attempt.Outcome, attempt.StatusCode, attempt.Reason));
        Assert.Equal(id, attempt.DeliveryId);
        Assert.Equal(0L, await worker.Queue.CountAsync(CancellationToken.None));
        await Task.Delay(200);
        Assert.Single(_receiver.RequestsTo(Hook));
    }

    [Fact]
    public async Task Worker_TargetFailsOnceThenAnswers_RecordsTheRetryAndTheSuccess()
    {
        var calls = 0;
        _receiver.Answer(Hook, _ => Interlocked.Increment(ref calls) == 1 ? ReceiverAnswer.Text(503, "busy") : ReceiverAnswer.Ok);
        var worker = await StartWorkerAsync();
        await BindAsync(worker);

        await Publish(worker, "u1");

        var id = await WaitForDeliveryIdAsync();
        var record = await WaitForStatusAsync(worker, id, DeliveryStatus.Delivered);
        Assert.Equal(
            [(1, DeliveryAttemptOutcome.Retrying, (int?)503), (2, DeliveryAttemptOutcome.Succeeded, 200)],
            record.Attempts.Select(a => (a.Attempt, a.Outcome, a.StatusCode)));
        Assert.NotNull(record.Attempts[0].Reason);
        Assert.Equal([id, id], _receiver.RequestsTo(Hook).Select(r => r.Headers[WebhookSigner.WebhookIdHeader].Single()));
    }

    [Fact]
    public async Task ReplayAsync_DeadLetter_IsDeliveredAgainWithTheSameWebhookId()
    {
        var failing = true;
        _receiver.Answer(Hook, _ => Volatile.Read(ref failing) ? ReceiverAnswer.Text(500, "down") : ReceiverAnswer.Ok);
        var worker = await StartWorkerAsync();
        var targetId = await BindAsync(worker);
        await Publish(worker, "u1");
        var id = await WaitForDeliveryIdAsync();
        var dead = await WaitForStatusAsync(worker, id, DeliveryStatus.DeadLettered);
        Assert.Equal(targetId, Assert.Single(dead.GivenUpTargetIds));
        Assert.Equal(
            [(1, DeliveryAttemptOutcome.Retrying), (2, DeliveryAttemptOutcome.GaveUp)],
            dead.Attempts.Select(a => (a.Attempt, a.Outcome)));

        Volatile.Write(ref failing, false);
        var replayed = await worker.Management.ReplayDeliveryAsync(worker.Caller, id);

        Assert.Equal(DeliveryStatus.Pending, replayed.Status);
        var delivered = await WaitForStatusAsync(worker, id, DeliveryStatus.Delivered);
        Assert.Equal(1, delivered.Replays);
        Assert.Equal(DeliveryAttemptOutcome.Succeeded, delivered.Attempts[^1].Outcome);
        var requests = _receiver.RequestsTo(Hook);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(id, r.Headers[WebhookSigner.WebhookIdHeader].Single()));
    }

    private StoreInstance Open() => Track(StoreInstance.Create(
        Server,
        Schema,
        o => o.PollInterval = TimeSpan.FromSeconds(1),
        services: static s =>
        {
            s.Configure<HttpTargetOptions>(o => o.AllowLoopback());
            s.Configure<DeliveryOptions>(o =>
            {
                o.RetrySchedule = [TimeSpan.Zero, TimeSpan.FromMilliseconds(100)];
                o.LeaseDuration = TimeSpan.FromSeconds(5);
            });
        }));

    private async Task<StoreInstance> StartWorkerAsync()
    {
        var instance = Open();
        await instance.StartAsync();
        return instance;
    }

    private async Task<string> BindAsync(StoreInstance instance)
    {
        var target = await instance.Management.CreateTargetAsync(instance.Caller, new TargetSpec
        {
            Name = "audit",
            Endpoint = _receiver.Url(Hook),
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(5),
            SignatureScheme = SignatureScheme.StandardWebhooks,
        });
        await instance.Management.SetExecutionAsync(instance.Caller, Condition.Event(EventType), [ExecutionEntry.ForTarget(target.Target.Id)]);
        return target.Target.Id;
    }

    private static ValueTask Publish(StoreInstance instance, string aggregateId) =>
        instance.Dispatcher.PublishEventAsync(new FlowContext(StoreInstance.Tenant), new ActionEvent
        {
            EventType = EventType,
            AggregateId = aggregateId,
            AggregateType = "user",
            Sequence = 1,
            CreatedAt = DateTimeOffset.UtcNow,
            Payload = Encoding.UTF8.GetBytes("""{"name":"Ada"}"""),
        });

    private async Task<string> WaitForDeliveryIdAsync()
    {
        string? id = null;
        await Wait.UntilAsync(async () => (id = await Server.ScalarAsync($"SELECT id FROM {Schema}.deliveries") as string) is not null, "the delivery was queued");
        return id!;
    }

    private static async Task<DeliveryRecord> WaitForStatusAsync(StoreInstance instance, string id, DeliveryStatus status)
    {
        DeliveryRecord? record = null;
        await Wait.UntilAsync(
            async () => (record = await instance.Management.GetDeliveryAsync(instance.Caller, id)).Status == status,
            $"delivery {id} is {status} (it is {record?.Status})");
        return record!;
    }
}
