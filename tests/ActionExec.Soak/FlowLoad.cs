using System.Text.Json.Nodes;
using ActionExec.Dispatch;
using ActionExec.Errors;

namespace ActionExec.Soak;

/// <summary>
/// Request flows over loopback HTTP, many at once: most are healthy (a webhook, a call that answers <c>n + 1</c> and an async
/// audit target), one in five also meets a target that answers 500 and one that never answers within its timeout, neither
/// interrupting. Every result must be exactly the call target's answer for that flow's <c>n</c>.
/// </summary>
internal sealed class FlowLoad(IActionDispatcher dispatcher, FlowContext context, SoakCounters counters)
{
    public const string HealthyMethod = "/soak.v1.Flow/Healthy";
    public const string FaultyMethod = "/soak.v1.Flow/Faulty";

    private long _next;

    public Task RunAsync(int concurrency, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => LoopAsync(stop), CancellationToken.None)));

    private async Task LoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            var method = n % 5 == 0 ? FaultyMethod : HealthyMethod;
            try
            {
                var result = await dispatcher.RunRequestAsync(context, method, new JsonObject { ["n"] = n }, CancellationToken.None);
                var expected = new JsonObject { ["n"] = n + 1, ["by"] = "call" };
                if (!JsonNode.DeepEquals(expected, result))
                {
                    counters.AddMismatch($"flow {n} on {method} returned {result?.ToJsonString() ?? "null"}, not {expected.ToJsonString()}");
                }

                counters.AddFlow();
            }
            catch (ActionExecException e) when (e.Code == ActionExecErrorCode.Unavailable)
            {
                // The async audit target found the delivery queue full: the flow was told, as it must be.
                counters.AddRefusedByQueue();
                counters.AddFlow();
            }
            catch (Exception e)
            {
                counters.AddUnhandled($"flow {n} on {method}: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
