using System.Diagnostics;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Xunit.Abstractions;

namespace ActionExec.Tests.Reliability;

/// <summary>Many flows stuck on slow targets at once must not hold up anything else: no flow blocks a thread while it waits.</summary>
[Collection(LoadCollection.Name)]
public sealed class ConcurrentFlowTests(ITestOutputHelper output)
{
    private const int HangingFlows = 1000;
    private const string SlowMethod = "/reliability.v1.Load/Slow";
    private const string FastMethod = "/reliability.v1.Load/Fast";

    // Long enough for a thousand connections to be opened on a busy two-core machine before the first one times out.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunRequestAsync_AThousandFlowsHangUntilTheirTimeout_AnUnrelatedFlowCompletesWhileTheyArePending()
    {
        await using var server = await FaultServer.StartAsync();
        await using var h = await HttpActionsHarness.StartAsync();
        var slow = await h.CreateTargetAsync("slow", TargetType.Webhook, interrupt: true, endpoint: server.Url(FaultServer.Hang + "/load"), timeout: Timeout);
        var fast = await h.CreateTargetAsync("fast", TargetType.Call, interrupt: true);
        await h.SetAsync(Condition.RequestMethod(SlowMethod), slow);
        await h.SetAsync(Condition.RequestMethod(FastMethod), fast);
        h.Receiver.Answer("/fast", ReceiverAnswer.Json("""{"answered":"at once"}"""));

        // Each flow starts on the thread pool, so a flow that blocked a thread while it waits would starve the pool, not this loop.
        var hanging = new Task<TimeSpan>[HangingFlows];
        for (var i = 0; i < hanging.Length; i++)
        {
            var request = new JsonObject { ["n"] = i };
            hanging[i] = Task.Run(async () =>
            {
                var clock = Stopwatch.StartNew();
                var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, SlowMethod, request).AsTask());
                Assert.Equal(ActionExecErrorCode.DeadlineExceeded, error.Code);
                Assert.Equal("target slow failed: no answer within its timeout of 5s", error.Message);
                return clock.Elapsed;
            });
        }

        await server.WaitForRequestsAsync(FaultServer.Hang + "/load", HangingFlows);
        var unrelatedClock = Stopwatch.StartNew();
        var unrelated = await Task.Run(() => h.Dispatcher.RunRequestAsync(h.Context, FastMethod, JsonNode.Parse("""{"n":-1}""")).AsTask());
        unrelatedClock.Stop();
        var stillPending = hanging.Count(t => !t.IsCompleted);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"answered":"at once"}"""), unrelated), unrelated?.ToJsonString());
        Assert.Equal(HangingFlows, stillPending);
        var waited = await Task.WhenAll(hanging);
        var longest = waited.Max();
        output.WriteLine($"{HangingFlows} flows held at once; the unrelated flow took {unrelatedClock.Elapsed.TotalMilliseconds:0} ms; the hanging flows took {waited.Min().TotalSeconds:0.00}–{longest.TotalSeconds:0.00} s against a timeout of {Timeout.TotalSeconds:0} s.");
        Assert.True(longest < Timeout + Margin, $"The longest of the hanging flows took {longest}, more than its timeout of {Timeout} plus {Margin}.");
        Assert.Equal(0, server.Completed);
    }
}
