using System.Text;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Delivery;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.Tests.Diagnostics;

/// <summary>
/// Spec §13: keys and payload bodies are never logged, and log records carry stable event ids. Everything a request flow and
/// an event delivery log at <see cref="LogLevel.Trace"/> is captured, the HTTP client's own records included, while the targets
/// are sent a marker in the request, answer with it, fail with it in their bodies and forward it as an error message.
/// </summary>
public sealed class LoggingTests
{
    private const string Marker = "zq7-marker-2c51e0";
    private const string Method = "/zitadel.user.v2.UserService/AddHumanUser";
    private const string Tenant = "69629023906488334";

    [Fact]
    public async Task Logs_RequestFlowAndEventDeliveryAtTrace_NeverContainASigningKeyOrAPayloadBody()
    {
        var run = await RunAsync();

        // The marker did travel in every direction, so a record that echoed a body would have carried it.
        Assert.All(run.Received, r => Assert.Contains(Marker, Encoding.UTF8.GetString(r.Body), StringComparison.Ordinal));
        Assert.Equal(6, run.Received.Count);
        Assert.Contains(run.Logs, r => r.Level == LogLevel.Trace && r.Category.StartsWith("System.Net.Http.HttpClient.ActionExec.", StringComparison.Ordinal));
        foreach (var record in run.Logs)
        {
            foreach (var text in record.Texts)
            {
                Assert.DoesNotContain(Marker, text, StringComparison.Ordinal);
                foreach (var key in run.SigningKeys)
                {
                    Assert.DoesNotContain(key, text, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public async Task Logs_RequestFlowAndEventDeliveryAtTrace_EveryActionExecRecordHasAnEventId()
    {
        var run = await RunAsync();

        var own = run.Logs.Where(r => r.Level != LogLevel.None && r.Category.StartsWith("ActionExec.", StringComparison.Ordinal)).ToList();
        Assert.All(own, r => Assert.NotEqual(0, r.EventId.Id));

        // The run produced every kind of record it should: attempts that succeeded and failed, the queued event, the worker's
        // start and the dead letter.
        var ids = own.Select(r => r.EventId.Id).ToHashSet();
        Assert.Superset(new HashSet<int> { 2001, 2002, 3001, 4001, 4005 }, ids);
        Assert.Equal(
            "Target forwarding (" + run.ForwardingTargetId + ") attempt 1 failed (forwarded): it forwarded status 400.",
            Assert.Single(own, r => r.EventId.Id == 2002 && r.Message.Contains("forwarding", StringComparison.Ordinal)).Message);
    }

    private static async Task<LoggedRun> RunAsync()
    {
        var logs = new CapturingLoggerProvider();
        await using var receiver = await LoopbackReceiver.StartAsync();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddActionExecutions().AddHttpTargets(static o => o.AllowLoopback()).ConfigureDelivery(o => o.Workers = 1);
        await using var provider = services.BuildServiceProvider();
        var management = provider.GetRequiredService<IActionManagement>();
        var worker = provider.GetRequiredService<DeliveryWorker>();
        var admin = ManagementCaller.ForHost(Tenant);

        receiver.Answer("/call", ReceiverAnswer.Json($$"""{"username":"{{Marker}} from the call target"}"""));
        receiver.Answer("/webhook", ReceiverAnswer.Ok);
        receiver.Answer("/forwarding", ReceiverAnswer.Json($$"""{"forwardedStatusCode":400,"forwardedErrorMessage":"{{Marker}} is taken"}"""));
        receiver.Answer("/broken", ReceiverAnswer.Text(500, $"stack trace mentioning {Marker}"));
        receiver.Answer("/event-ok", ReceiverAnswer.Ok);
        receiver.Answer("/event-refused", ReceiverAnswer.Text(400, $"refused {Marker}"));

        var created = new List<CreatedTarget>();
        async Task<string> CreateAsync(string name, TargetType type, SignatureScheme scheme = SignatureScheme.Zitadel)
        {
            var target = await management.CreateTargetAsync(admin, new TargetSpec
            {
                Name = name,
                Endpoint = receiver.Url("/" + name),
                Type = type,
                Timeout = TimeSpan.FromSeconds(10),
                SignatureScheme = scheme,
            });
            created.Add(target);
            return target.Target.Id;
        }

        var flow = new[]
        {
            await CreateAsync("call", TargetType.Call),
            await CreateAsync("webhook", TargetType.Webhook, SignatureScheme.StandardWebhooks),
            await CreateAsync("forwarding", TargetType.Call),
            await CreateAsync("broken", TargetType.Webhook),
        };
        var events = new[] { await CreateAsync("event-ok", TargetType.Webhook), await CreateAsync("event-refused", TargetType.Webhook, SignatureScheme.StandardWebhooks) };
        await management.SetExecutionAsync(admin, Condition.RequestMethod(Method), [.. flow.Select(ExecutionEntry.ForTarget)]);
        await management.SetExecutionAsync(admin, Condition.Event("user.human.added"), [.. events.Select(ExecutionEntry.ForTarget)]);

        await worker.StartAsync(CancellationToken.None);
        try
        {
            var dispatcher = provider.GetRequiredService<IActionDispatcher>();
            var context = new FlowContext(Tenant) { OrgId = "org-1", UserId = "user-1", Headers = [new("Origin", ["https://app.example.com"])] };
            await dispatcher.RunRequestAsync(context, Method, JsonNode.Parse($$"""{"username":"{{Marker}} as sent"}"""));
            await dispatcher.PublishEventAsync(context, new ActionEvent
            {
                EventType = "user.human.added",
                AggregateId = "user-1",
                AggregateType = "user",
                Sequence = 7,
                CreatedAt = DateTimeOffset.UtcNow,
                Payload = Encoding.UTF8.GetBytes($$"""{"userName":"{{Marker}} in the event"}"""),
            });
            await Eventually.WaitUntilAsync(() => worker.Statistics.DeadLettered == 1, "the event delivery was given up on its refusing target");
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        return new LoggedRun(logs.Records, receiver.Requests, [.. created.Select(c => c.SigningKey)], flow[2]);
    }

    private sealed record LoggedRun(IReadOnlyList<CapturedLog> Logs, IReadOnlyList<ReceivedRequest> Received, IReadOnlyList<string> SigningKeys, string ForwardingTargetId);
}
