using System.Diagnostics;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Reliability;

/// <summary>
/// Every fault of the <see cref="FaultServer"/> against a webhook and a call target, interrupting and not, in a request flow over
/// real HTTP (spec §6, §8): the host gets the mapped error or the flow goes on with its message unchanged, and no flow waits
/// much longer than the target's timeout.
/// </summary>
public sealed class TargetFaultTests(FaultServerFixture fixture) : IClassFixture<FaultServerFixture>
{
    private const string Method = "/reliability.v1.Faults/Run";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    // A hang check with room for a loaded machine, never a speed assertion.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    public static TheoryData<Fault, TargetType, bool> Cases()
    {
        var cases = new TheoryData<Fault, TargetType, bool>();
        foreach (var fault in Enum.GetValues<Fault>())
        {
            foreach (var type in new[] { TargetType.Webhook, TargetType.Call })
            {
                cases.Add(fault, type, true);
                cases.Add(fault, type, false);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunRequestAsync_TargetMeetsFault_ActsAsSpecifiedWithinItsTimeout(Fault fault, TargetType type, bool interrupt)
    {
        var server = fixture.Server;
        var name = $"{fault}-{type}-{(interrupt ? "interrupting" : "tolerant")}".ToLowerInvariant();
        var path = $"{fault.Route()}/{name}";
        // The target's timeout runs on a fake clock that moves only once the server has the request: on a loaded machine a real
        // one could fire before the server read it, and a tolerant flow would then go on as if the fault had been played.
        var time = new FakeTimeProvider(TestTime.Start);
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var failing = await h.CreateTargetAsync(name, type, interrupt, endpoint: server.Url(path), timeout: Timeout);
        var after = await h.CreateTargetAsync("after");
        await h.SetAsync(Condition.RequestMethod(Method), failing, after);
        h.Receiver.Answer("/after", ReceiverAnswer.Ok);
        var request = JsonNode.Parse("""{"username":"original"}""");
        var fails = fault.Fails(type == TargetType.Call);

        var clock = Stopwatch.StartNew();
        var run = h.Dispatcher.RunRequestAsync(h.Context, Method, request).AsTask();
        await server.ArrivedAsync(path).WaitAsync(TimeSpan.FromSeconds(30));
        if (fault.TimesOut())
        {
            time.Advance(Timeout);
        }

        var error = interrupt && fails ? await Assert.ThrowsAsync<ActionExecException>(() => run) : null;
        var result = error is null ? await run : null;
        clock.Stop();

        Assert.True(clock.Elapsed < Timeout + Margin, $"The flow took {clock.Elapsed}, more than its target's timeout of {Timeout} plus {Margin}.");
        Assert.Single(server.RequestsTo(path));
        Assert.Empty(server.Landing!.RequestsTo(FaultServer.LandingRoute + "/" + name));
        if (error is not null)
        {
            Assert.Equal(fault.TimesOut() ? ActionExecErrorCode.DeadlineExceeded : ActionExecErrorCode.FailedPrecondition, error.Code);
            var expected = $"target {name} failed: {fault.Reason(Timeout)}";
            if (fault == Fault.Reset)
            {
                Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(expected, error.Message);
            }

            Assert.Empty(error.Violations);
            Assert.Empty(h.Receiver.RequestsTo("/after"));
        }
        else
        {
            Assert.Same(request, result);
            var sentToAfter = Assert.Single(h.Receiver.RequestsTo("/after")).Json;
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"username":"original"}"""), sentToAfter["request"]), sentToAfter.ToJsonString());
        }
    }

    [Fact]
    public async Task RunRequestAsync_TimeoutUnderAHostCultureWithADecimalComma_NamesTheTimeoutTheSameWay()
    {
        var server = fixture.Server;
        var path = FaultServer.Hang + "/culture";
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("culture", TargetType.Webhook, interrupt: true, endpoint: server.Url(path), timeout: TimeSpan.FromMilliseconds(1500));
        await h.SetAsync(Condition.RequestMethod(Method), target);
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("{}")).AsTask());

            Assert.Equal(ActionExecErrorCode.DeadlineExceeded, error.Code);
            Assert.Equal("target culture failed: no answer within its timeout of 1.5s", error.Message);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }
}
