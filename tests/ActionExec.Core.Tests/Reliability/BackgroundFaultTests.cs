using System.Diagnostics;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Targets;
using ActionExec.Tests.Delivery;
using ActionExec.Tests.Support;

namespace ActionExec.Tests.Reliability;

/// <summary>
/// Every fault of the <see cref="FaultServer"/> in background delivery (spec §7), over real HTTP with the fake clock: the flow
/// returns at once; the delivery is retried on the schedule (later when <c>Retry-After</c> asks) and reported as a dead letter
/// when the attempts run out, reported at once for a final failure, and delivered when the answer is good enough for its type.
/// </summary>
public sealed class BackgroundFaultTests(FaultServerFixture fixture) : IClassFixture<FaultServerFixture>
{
    private const string Method = "/reliability.v1.Faults/Run";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan[] Schedule = [TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)];

    public static TheoryData<Fault> AllFaults() => [.. Enum.GetValues<Fault>()];

    public static TheoryData<Fault, bool> EventCases()
    {
        var cases = new TheoryData<Fault, bool>();
        foreach (var fault in Enum.GetValues<Fault>())
        {
            cases.Add(fault, true);
            cases.Add(fault, false);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(AllFaults))]
    public async Task RunRequestAsync_AsyncTargetMeetsFault_ReturnsAtOnceAndDeliversRetriesOrDeadLettersPerTheSchedule(Fault fault)
    {
        var server = fixture.Server;
        var name = $"async-{fault}".ToLowerInvariant();
        var path = $"{fault.Route()}/{name}";
        await using var harness = NewHarness();
        var target = await CreateTargetAsync(harness, name, path, TargetType.Async, interrupt: false);
        await harness.SetExecutionAsync(Condition.RequestMethod(Method), target);
        var request = JsonNode.Parse("""{"username":"original"}""");

        var clock = Stopwatch.StartNew();
        var result = await harness.Dispatcher.RunRequestAsync(harness.Context, Method, request);
        clock.Stop();

        Assert.True(clock.Elapsed < Timeout + Margin, $"The flow took {clock.Elapsed}; an async target must not hold it.");
        Assert.Same(request, result);
        Assert.Equal(1, harness.Queue.Count);
        Assert.Empty(server.RequestsTo(path));

        await harness.StartAsync();
        var attempts = fault.IsRetried() ? Schedule.Length : 1;
        var givenUpAt = await DriveAsync(harness, fault, path, attempts);
        await harness.WaitForFinishedAsync(1);

        var received = server.RequestsTo(path);
        Assert.Equal(attempts, received.Count);
        Assert.Single(received.Select(r => r.Header("webhook-id")).Distinct(StringComparer.Ordinal));
        Assert.All(received, r => Assert.Equal(JsonNode.Parse("""{"username":"original"}""")!.ToJsonString(), r.Json["request"]!.ToJsonString()));
        Assert.Empty(server.Landing!.RequestsTo(FaultServer.LandingRoute + "/" + name));
        Assert.Equal(0, harness.Queue.Count);
        if (!fault.Fails(isCall: false))
        {
            Assert.Equal(1, harness.Statistics.Delivered);
            Assert.Empty(harness.Observer.DeadLetters);
            return;
        }

        var deadLetter = Assert.Single(harness.Observer.DeadLetters);
        Assert.Equal(fault.IsRetried() ? DeadLetterReason.RetriesExhausted : DeadLetterReason.FinalFailure, deadLetter.Reason);
        Assert.Equal(target, deadLetter.TargetId);
        Assert.Equal(received[0].Header("webhook-id"), deadLetter.DeliveryId);
        Assert.Equal(Condition.RequestMethod(Method).Id, deadLetter.Source);
        Assert.Equal(attempts, deadLetter.Attempts);
        Assert.Equal(fault.Status(), deadLetter.LastStatusCode);
        AssertReason(fault, deadLetter.LastReason);
        Assert.Equal(givenUpAt, deadLetter.GivenUpAt);
        Assert.Equal(1, harness.Statistics.DeadLettered);
        Assert.Equal(0, harness.Statistics.Delivered);
    }

    [Theory]
    [MemberData(nameof(EventCases))]
    public async Task PublishEventAsync_WebhookMeetsFault_LaterTargetIsDeliveredOrAbandonedByItsErrorPolicy(Fault fault, bool interrupt)
    {
        var server = fixture.Server;
        var name = $"event-{fault}-{(interrupt ? "interrupting" : "tolerant")}".ToLowerInvariant();
        var path = $"{fault.Route()}/{name}";
        var afterPath = $"{FaultServer.Ok}/{name}-after";
        await using var harness = NewHarness();
        var failing = await CreateTargetAsync(harness, name, path, TargetType.Webhook, interrupt);
        var after = await CreateTargetAsync(harness, name + "-after", afterPath, TargetType.Webhook, interrupt: false);
        await harness.SetExecutionAsync(Condition.Event(DeliveryHarness.EventType), failing, after);

        var clock = Stopwatch.StartNew();
        await harness.PublishAsync("agg-" + name, """{"name":"Ada"}""");
        clock.Stop();

        Assert.True(clock.Elapsed < Margin, $"Publishing took {clock.Elapsed}; it must only queue the delivery.");
        await harness.StartAsync();
        var fails = fault.Fails(isCall: false);
        var attempts = fails && fault.IsRetried() ? Schedule.Length : 1;
        await DriveAsync(harness, fault, path, attempts);
        await harness.WaitForFinishedAsync(1);

        Assert.Equal(attempts, server.RequestsTo(path).Count);
        var abandoned = fails && interrupt;
        Assert.Equal(abandoned ? 0 : 1, server.RequestsTo(afterPath).Count);
        Assert.Equal(0, harness.Queue.Count);
        if (!fails)
        {
            Assert.Empty(harness.Observer.DeadLetters);
            Assert.Equal(1, harness.Statistics.Delivered);
            return;
        }

        var deadLetter = Assert.Single(harness.Observer.DeadLetters);
        Assert.Equal(failing, deadLetter.TargetId);
        Assert.Equal<string>(abandoned ? [after] : [], deadLetter.AbandonedTargetIds);
        Assert.Equal(attempts, deadLetter.Attempts);
        AssertReason(fault, deadLetter.LastReason);
        Assert.Equal(1, harness.Statistics.DeadLettered);
    }

    private static DeliveryHarness NewHarness() => new(o =>
    {
        o.RetrySchedule = Schedule;
        o.MaxAge = TimeSpan.FromDays(1);
    });

    private async Task<string> CreateTargetAsync(DeliveryHarness harness, string name, string path, TargetType type, bool interrupt)
    {
        var created = await harness.Management.CreateTargetAsync(harness.Caller, new TargetSpec
        {
            Name = name,
            Endpoint = fixture.Server.Url(path),
            Type = type,
            Timeout = Timeout,
            InterruptOnError = interrupt,
        });
        return created.Target.Id;
    }

    /// <summary>
    /// Plays the fake clock through <paramref name="attempts"/> attempts of the target on <paramref name="path"/>: lets a hanging
    /// attempt reach its timeout, and checks that each retry is due exactly when the schedule (or <c>Retry-After</c>) says.
    /// Returns the time of the last attempt's end.
    /// </summary>
    private async Task<DateTimeOffset> DriveAsync(DeliveryHarness harness, Fault fault, string path, int attempts)
    {
        var now = harness.Start;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            await fixture.Server.WaitForRequestsAsync(path, attempt);
            if (fault.TimesOut())
            {
                harness.Time.Advance(Timeout);
                now += Timeout;
            }

            if (attempt == attempts)
            {
                break;
            }

            var delay = Schedule[attempt];
            if (fault == Fault.TooManyRequests && FaultServer.RetryAfter > delay)
            {
                delay = FaultServer.RetryAfter;
            }

            await harness.WaitForRetryDueAtAsync(now + delay);
            harness.Time.Advance(delay);
            now += delay;
        }

        return now;
    }

    private static void AssertReason(Fault fault, string? reason)
    {
        Assert.NotNull(reason);
        if (fault == Fault.Reset)
        {
            Assert.StartsWith(fault.Reason(Timeout), reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(fault.Reason(Timeout), reason);
        }
    }
}
