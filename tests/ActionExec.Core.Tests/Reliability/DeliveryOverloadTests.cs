using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Xunit.Abstractions;

namespace ActionExec.Tests.Reliability;

/// <summary>
/// Background delivery under more work than it can take (spec §7), on the real clock and real HTTP: nothing is dropped silently.
/// Every delivery is delivered, dead-lettered, or refused to its caller with <see cref="ActionExecErrorCode.Unavailable"/>; and
/// shutdown stops within its drain time and reports what it could not finish.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class DeliveryOverloadTests(ITestOutputHelper output)
{
    private const string Method = "/reliability.v1.Orders/Create";
    private const int Producers = 4;
    private const int OperationsPerProducer = 60;
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    private enum Kind
    {
        Delivered,
        Failing,
        Gone,
        AsyncTarget,
    }

    [Fact]
    public async Task EnqueueAsync_FasterThanTargetsAnswer_EveryDeliveryIsDeliveredDeadLetteredOrRefusedAsUnavailable()
    {
        await using var server = await FaultServer.StartAsync();
        await using var h = new LiveDeliveryHarness(o =>
        {
            o.Capacity = 8;
            o.EnqueueTimeout = TimeSpan.FromMilliseconds(20);
            o.RetrySchedule = [TimeSpan.Zero, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40)];
            o.MaxAge = TimeSpan.FromSeconds(30);
            o.Workers = 2;
        });
        await h.SetExecutionAsync(Condition.Event("order.delivered"), await h.CreateTargetAsync("delivered", server.Url(FaultServer.Slow + "/events")));
        await h.SetExecutionAsync(Condition.Event("order.failing"), await h.CreateTargetAsync("failing", server.Url(FaultServer.ServerError + "/events")));
        await h.SetExecutionAsync(Condition.Event("order.gone"), await h.CreateTargetAsync("gone", server.Url(FaultServer.Gone + "/events")));
        await h.SetExecutionAsync(Condition.RequestMethod(Method), await h.CreateTargetAsync("audit", server.Url(FaultServer.Slow + "/audit"), TargetType.Async));
        await h.StartAsync();

        var queued = new ConcurrentDictionary<string, Kind>(StringComparer.Ordinal);
        var refused = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < OperationsPerProducer; i++)
            {
                var id = $"p{p}-{i}";
                var kind = (Kind)(i % 4);
                try
                {
                    if (kind == Kind.AsyncTarget)
                    {
                        await h.Dispatcher.RunRequestAsync(h.Context, Method, new JsonObject { ["id"] = id });
                    }
                    else
                    {
                        await h.PublishAsync("order." + kind.ToString().ToLowerInvariant(), id);
                    }

                    queued[id] = kind;
                }
                catch (ActionExecException e) when (e.Code == ActionExecErrorCode.Unavailable)
                {
                    refused[id] = e.Message;
                }
            }
        })).ToArray();
        await Task.WhenAll(producers);
        await h.WaitForFinishedAsync(queued.Count);
        output.WriteLine($"{Producers * OperationsPerProducer} operations: {queued.Count} queued ({h.Statistics.Delivered} delivered, {h.Statistics.DeadLettered} dead-lettered), {refused.Count} refused as Unavailable.");

        // Nothing vanished: every operation was queued or refused, and every queued delivery left the queue exactly one way.
        Assert.Equal(Producers * OperationsPerProducer, queued.Count + refused.Count);
        Assert.NotEmpty(refused);
        Assert.NotEmpty(queued);
        Assert.All(refused.Values, m => Assert.StartsWith("The delivery queue is full: all 8 places are taken and none became free within 0.02 s, so delivery '", m, StringComparison.Ordinal));
        Assert.Equal(queued.Count, h.Statistics.Delivered + h.Statistics.DeadLettered);
        Assert.Equal(0, await h.Queue.CountAsync(CancellationToken.None));

        string[] Queued(params Kind[] kinds) => [.. queued.Where(q => kinds.Contains(q.Value)).Select(q => q.Key).Order(StringComparer.Ordinal)];
        var deliveredIds = server.RequestsTo(FaultServer.Slow + "/events").Select(r => (string)r.Json["aggregateID"]!)
            .Concat(server.RequestsTo(FaultServer.Slow + "/audit").Select(r => (string)r.Json["request"]!["id"]!))
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Queued(Kind.Delivered, Kind.AsyncTarget), deliveredIds);
        Assert.Equal(deliveredIds.Length, h.Statistics.Delivered);

        var deadLetters = h.Observer.DeadLetters;
        var deadIds = deadLetters.Select(l => (string)JsonNode.Parse(l.Payload.Span)!["aggregateID"]!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Queued(Kind.Failing, Kind.Gone), deadIds);
        Assert.Equal(deadIds.Length, h.Statistics.DeadLettered);
        Assert.All(deadLetters, l => Assert.Equal(
            string.Equals(l.Source, "event/order.failing", StringComparison.Ordinal) ? DeadLetterReason.RetriesExhausted : DeadLetterReason.FinalFailure,
            l.Reason));

        var reachedTheServer = server.Requests.Select(r => r.Json).Select(j => (string?)j["aggregateID"] ?? (string?)j["request"]?["id"]).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(refused.Keys, reachedTheServer.Contains);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public async Task StopAsync_HostStopsWaitingBeforeTheDrainEnds_ReportsEveryUnfinishedDeliveryAsShutdownBeforeItReturns(int patienceMilliseconds)
    {
        await using var server = await FaultServer.StartAsync();
        await using var h = new LiveDeliveryHarness(o => o.Workers = 2);
        await h.SetExecutionAsync(Condition.Event("order.stuck"), await h.CreateTargetAsync("stuck", server.Url(FaultServer.Hang + "/forced"), timeout: TimeSpan.FromSeconds(30)));
        string[] stuck = [.. Enumerable.Range(0, 6).Select(i => $"stuck-{i}")];
        foreach (var id in stuck)
        {
            await h.PublishAsync("order.stuck", id);
        }

        await h.StartAsync();
        await server.WaitForRequestsAsync(FaultServer.Hang + "/forced", 2);
        using var gaveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(patienceMilliseconds));

        // On the thread pool and with a limit, so that a shutdown that never ends fails this test instead of hanging the run.
        var clock = Stopwatch.StartNew();
        await Task.Run(() => h.Worker.StopAsync(gaveUp.Token)).WaitAsync(TimeSpan.FromSeconds(30));
        clock.Stop();

        Assert.True(clock.Elapsed < Margin, $"Shutdown took {clock.Elapsed} though the host stopped waiting after {patienceMilliseconds} ms.");
        var deadLetters = h.Observer.DeadLetters;
        Assert.Equal(stuck, deadLetters.Select(l => (string)JsonNode.Parse(l.Payload.Span)!["aggregateID"]!).Order(StringComparer.Ordinal));
        Assert.All(deadLetters, l => Assert.Equal(DeadLetterReason.Shutdown, l.Reason));
        Assert.Equal(stuck.Length, h.Statistics.DeadLettered);
        Assert.Equal(0, await h.Queue.CountAsync(CancellationToken.None));
        Assert.Empty(h.Logs.WithEventId(4008));
    }

    [Fact]
    public async Task StopAsync_DeliveriesStuckOnHangingTargets_StopsWithinTheDrainTimeAndReportsEveryUnfinishedDelivery()
    {
        var drain = TimeSpan.FromSeconds(1);
        await using var server = await FaultServer.StartAsync();
        await using var h = new LiveDeliveryHarness(o =>
        {
            o.Workers = 2;
            o.DrainTimeout = drain;
        });
        await h.SetExecutionAsync(Condition.Event("order.quick"), await h.CreateTargetAsync("quick", server.Url(FaultServer.Ok + "/shutdown")));
        await h.SetExecutionAsync(Condition.Event("order.stuck"), await h.CreateTargetAsync("stuck", server.Url(FaultServer.Hang + "/shutdown"), timeout: TimeSpan.FromSeconds(30)));
        string[] quick = [.. Enumerable.Range(0, 10).Select(i => $"quick-{i}")];
        string[] stuck = [.. Enumerable.Range(0, 10).Select(i => $"stuck-{i}")];
        string[] late = [.. Enumerable.Range(0, 10).Select(i => $"late-{i}")];
        foreach (var id in quick)
        {
            await h.PublishAsync("order.quick", id);
        }

        foreach (var id in stuck)
        {
            await h.PublishAsync("order.stuck", id);
        }

        foreach (var id in late)
        {
            await h.PublishAsync("order.quick", id);
        }

        await h.StartAsync();
        await h.WaitForFinishedAsync(quick.Length);
        await server.WaitForRequestsAsync(FaultServer.Hang + "/shutdown", 2);

        var clock = Stopwatch.StartNew();
        await h.Worker.StopAsync(CancellationToken.None);
        clock.Stop();
        output.WriteLine($"Shutdown with a drain time of {drain.TotalSeconds:0} s took {clock.Elapsed.TotalMilliseconds:0} ms: {h.Statistics.Delivered} delivered, {h.Statistics.DeadLettered} reported as dead letters.");

        Assert.True(clock.Elapsed < drain + Margin, $"Shutdown took {clock.Elapsed}, more than its drain time of {drain} plus {Margin}.");
        Assert.Equal(quick, server.RequestsTo(FaultServer.Ok + "/shutdown").Select(r => (string)r.Json["aggregateID"]!).Order(StringComparer.Ordinal));
        var deadLetters = h.Observer.DeadLetters;
        Assert.All(deadLetters, l => Assert.Equal(DeadLetterReason.Shutdown, l.Reason));
        Assert.Equal(
            [.. late, .. stuck],
            deadLetters.Select(l => (string)JsonNode.Parse(l.Payload.Span)!["aggregateID"]!).Order(StringComparer.Ordinal));
        Assert.Equal(quick.Length, h.Statistics.Delivered);
        Assert.Equal(stuck.Length + late.Length, h.Statistics.DeadLettered);
        Assert.Equal(0, await h.Queue.CountAsync(CancellationToken.None));
        Assert.Contains($"{stuck.Length + late.Length} deliveries", Assert.Single(h.Logs.WithEventId(4010)).Message, StringComparison.Ordinal);

        // The two attempts in flight reached the target before they were cut short: the report must say so, or a host that
        // replays dead letters would believe the target never saw them.
        var inFlight = server.RequestsTo(FaultServer.Hang + "/shutdown").Select(r => r.Header("webhook-id")).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(2, inFlight.Count);
        Assert.All(deadLetters.Where(l => inFlight.Contains(l.DeliveryId)), l =>
        {
            Assert.Equal(1, l.Attempts);
            Assert.Equal("the attempt was cut short because the host shut down", l.LastReason);
        });
        Assert.Equal(2, deadLetters.Count(l => inFlight.Contains(l.DeliveryId)));
        Assert.All(deadLetters.Where(l => !inFlight.Contains(l.DeliveryId)), l =>
        {
            Assert.Equal(0, l.Attempts);
            Assert.Null(l.LastReason);
        });
        var refused = await Assert.ThrowsAsync<ActionExecException>(() => h.PublishAsync("order.quick", "after-shutdown").AsTask());
        Assert.Equal(ActionExecErrorCode.Unavailable, refused.Code);
    }
}
