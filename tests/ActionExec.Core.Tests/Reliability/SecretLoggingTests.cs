using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Delivery;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.Tests.Reliability;

/// <summary>
/// Keys and bodies never reach a log (spec §2, §13): a full run of every flow, failures, retries, dead letters and key
/// rotation, with every logger at Trace, the HTTP client's included, leaves no signing key, signature, payload or answer body
/// in any message, structured property, scope or exception.
/// </summary>
public sealed class SecretLoggingTests
{
    private const string Method = "/reliability.v1.Users/Add";
    private const string Guarded = "/reliability.v1.Users/Delete";
    private const string RequestSecret = "request-secret-1a2b";
    private const string ResponseSecret = "response-secret-3c4d";
    private const string HeaderSecret = "header-secret-2b3a";
    private const string AuthorizationSecret = "authorization-secret-8f0e";
    private const string ContextSecret = "function-context-secret-9e8f";
    private const string EventSecret = "event-payload-secret-6d5c";
    private const string CallAnswerSecret = "call-answer-secret-5f1e";
    private const string FunctionAnswerSecret = "function-answer-secret-77aa";
    private const string ForwardedSecret = "forwarded-secret-0c4b";

    [Fact]
    public async Task Logging_FullFlowRunAtTrace_NeverHoldsAKeyASignatureOrABody()
    {
        var capture = new CapturingLoggerProvider();
        await using var faults = await FaultServer.StartAsync();
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Answer("/hook", ReceiverAnswer.Ok);
        receiver.Answer("/call", ReceiverAnswer.Json($$"""{"username":"{{CallAnswerSecret}}"}"""));
        receiver.Answer("/function", ReceiverAnswer.Json($$$"""{"claims":{"k":"{{{FunctionAnswerSecret}}}"}}"""));
        receiver.Answer("/forward", ReceiverAnswer.Json($$"""{"forwardedStatusCode":403,"forwardedErrorMessage":"{{ForwardedSecret}}"}"""));
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        services.AddActionExecutions().AddHttpTargets(static o => o.AllowLoopback()).ConfigureDelivery(o =>
        {
            o.RetrySchedule = [TimeSpan.Zero, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)];
            o.MaxAge = TimeSpan.FromSeconds(30);
        });
        await using var provider = services.BuildServiceProvider();
        var management = provider.GetRequiredService<IActionManagement>();
        var dispatcher = provider.GetRequiredService<IActionDispatcher>();
        var worker = provider.GetRequiredService<DeliveryWorker>();
        var caller = ManagementCaller.ForHost("tenant-logs");
        var keys = new List<string>();

        async Task<string> CreateAsync(string name, string endpoint, TargetType type = TargetType.Webhook, bool interrupt = false, SignatureScheme scheme = SignatureScheme.Zitadel)
        {
            var created = await management.CreateTargetAsync(caller, new TargetSpec
            {
                Name = name,
                Endpoint = endpoint,
                Type = type,
                InterruptOnError = interrupt,
                Timeout = TimeSpan.FromSeconds(5),
                SignatureScheme = scheme,
            });
            keys.Add(created.SigningKey);
            return created.Target.Id;
        }

        async Task SetAsync(Condition condition, params string[] ids) =>
            await management.SetExecutionAsync(caller, condition, [.. ids.Select(ExecutionEntry.ForTarget)]);

        var zitadel = await CreateAsync("zitadel", receiver.Url("/hook"));
        await SetAsync(
            Condition.RequestMethod(Method),
            zitadel,
            await CreateAsync("call", receiver.Url("/call"), TargetType.Call, scheme: SignatureScheme.StandardWebhooks),
            await CreateAsync("standard", receiver.Url("/hook"), scheme: SignatureScheme.StandardWebhooks),
            await CreateAsync("failing", faults.Url(FaultServer.ServerError + "/logs")),
            await CreateAsync("html", faults.Url(FaultServer.Html + "/logs"), TargetType.Call),
            await CreateAsync("broken", faults.Url(FaultServer.InvalidJson + "/logs"), TargetType.Call),
            await CreateAsync("audit", faults.Url(FaultServer.ServerError + "/audit"), TargetType.Async));
        await SetAsync(Condition.ResponseMethod(Method), await CreateAsync("response-call", receiver.Url("/call"), TargetType.Call));
        await SetAsync(Condition.Function("preaccesstoken"), await CreateAsync("function", receiver.Url("/function"), TargetType.Call));
        await SetAsync(Condition.Event("user.human.added"), await CreateAsync("event-ok", faults.Url(FaultServer.Ok + "/event")), await CreateAsync("event-gone", faults.Url(FaultServer.Gone + "/event")));
        await SetAsync(Condition.RequestMethod(Guarded), await CreateAsync("guard", receiver.Url("/forward"), interrupt: true));
        var context = new FlowContext(caller.TenantId)
        {
            UserId = "user-1",
            Headers = [new("X-Forwarded-For", [HeaderSecret]), new("Authorization", ["Bearer " + AuthorizationSecret])],
        };
        await worker.StartAsync(CancellationToken.None);

        await dispatcher.RunRequestAsync(context, Method, new JsonObject { ["password"] = RequestSecret });
        await dispatcher.RunResponseAsync(context, Method, new JsonObject { ["password"] = RequestSecret }, new JsonObject { ["token"] = ResponseSecret });
        await dispatcher.RunFunctionAsync(context, "preaccesstoken", new JsonObject { ["secret"] = ContextSecret });
        await dispatcher.PublishEventAsync(context, new ActionEvent
        {
            EventType = "user.human.added",
            AggregateId = "user-1",
            AggregateType = "user",
            Payload = System.Text.Encoding.UTF8.GetBytes($$"""{"ssn":"{{EventSecret}}"}"""),
        });
        var forwarded = await Assert.ThrowsAsync<ActionExecException>(() => dispatcher.RunRequestAsync(context, Guarded, new JsonObject { ["password"] = RequestSecret }).AsTask());
        keys.Add((await management.RotateSigningKeyAsync(caller, zitadel)).SigningKey);
        await dispatcher.RunRequestAsync(context, Method, new JsonObject { ["password"] = RequestSecret });
        await Eventually.WaitUntilAsync(() => worker.Statistics.Delivered + worker.Statistics.DeadLettered >= 3, "the event and both audit deliveries finished");
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(ForwardedSecret, forwarded.Message);
        var logs = capture.Logs;
        Assert.Contains(logs, l => l.Level == LogLevel.Trace && l.Category.StartsWith("System.Net.Http.HttpClient.ActionExec", StringComparison.Ordinal) && l.Message.Contains("webhook-id", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.EventId == 2002);
        Assert.Contains(logs, l => l.EventId == 4005);
        var signatures = receiver.Requests
            .SelectMany(r => new[] { r.Header("ZITADEL-Signature")?.Split("v1=")[1], r.Header("webhook-signature")?.Split(',')[1] })
            .OfType<string>()
            .ToList();
        Assert.NotEmpty(signatures);
        string[] secrets =
        [
            .. keys,
            .. keys.Where(k => k.StartsWith("whsec_", StringComparison.Ordinal)).Select(k => k["whsec_".Length..]),
            .. signatures,
            RequestSecret, ResponseSecret, HeaderSecret, AuthorizationSecret, ContextSecret, EventSecret, CallAnswerSecret, FunctionAnswerSecret, ForwardedSecret,
            FaultServer.FailureBody, FaultServer.HtmlBody, FaultServer.InvalidJsonBody,
        ];
        foreach (var secret in secrets)
        {
            var leak = logs.FirstOrDefault(l => l.AllText.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"A secret or body was logged by {leak?.Category} (event {leak?.EventId}): {leak?.AllText}");
        }
    }
}
