using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Diagnostics;
using ActionExec.Dispatch;
using ActionExec.Targets;
using ActionExec.Tests.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActionExec.Tests.Diagnostics;

/// <summary>
/// The spans and instruments, observed the way an exporter observes them: an <see cref="ActivityListener"/> and a
/// <see cref="MeterListener"/>. Each listener hears only the harness's own source and meter, so tests running at the same time
/// under the same names do not leak into each other.
/// </summary>
public sealed class ActionExecTelemetryTests
{
    private const string Method = "/zitadel.user.v2.UserService/AddHumanUser";
    private const string ExecutionId = "request/zitadel.user.v2.UserService/AddHumanUser";

    [Fact]
    public async Task RunRequestAsync_TwoTargets_OneFlowSpanAndOneTargetSpanPerAttemptAsItsChildren()
    {
        await using var harness = new DeliveryHarness();
        var first = await harness.CreateTargetAsync("first");
        var second = await harness.CreateTargetAsync("second");
        await harness.SetExecutionAsync(Condition.RequestMethod(Method), first, second);
        harness.Invoker.Script("second", Answer.WithStatus(503));
        var source = harness.Provider.GetRequiredService<ActionExecTelemetry>().Source;
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => ReferenceEquals(candidate, source),
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await harness.Dispatcher.RunRequestAsync(harness.Context, Method, JsonNode.Parse("""{"username":"minnie"}"""));

        var flow = Assert.Single(stopped, a => string.Equals(a.OperationName, "actionexec.flow", StringComparison.Ordinal));
        Assert.Equal(ActivityKind.Internal, flow.Kind);
        Assert.Equal(default, flow.ParentSpanId);
        Assert.Equal("request", flow.GetTagItem("actionexec.flow"));
        Assert.Equal(Method, flow.GetTagItem("actionexec.value"));
        Assert.Equal(ExecutionId, flow.GetTagItem("actionexec.execution"));
        Assert.Equal(2, flow.GetTagItem("actionexec.targets"));

        var targets = stopped.Where(a => string.Equals(a.OperationName, "actionexec.target", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, targets.Count);
        Assert.Equal(3, stopped.Count);
        Assert.All(targets, span =>
        {
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal(flow.TraceId, span.TraceId);
            Assert.Equal(flow.SpanId, span.ParentSpanId);
            Assert.Equal("webhook", span.GetTagItem("actionexec.target.type"));
            Assert.Equal(1, span.GetTagItem("actionexec.attempt"));
        });

        var succeeded = Assert.Single(targets, a => Equals(a.GetTagItem("actionexec.target.id"), first));
        Assert.Equal("first", succeeded.GetTagItem("actionexec.target.name"));
        Assert.Equal("success", succeeded.GetTagItem("actionexec.outcome"));
        Assert.Equal(200, succeeded.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, succeeded.Status);

        var failed = Assert.Single(targets, a => Equals(a.GetTagItem("actionexec.target.id"), second));
        Assert.Equal("second", failed.GetTagItem("actionexec.target.name"));
        Assert.Equal("status", failed.GetTagItem("actionexec.outcome"));
        Assert.Equal(503, failed.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("it answered 503", failed.StatusDescription);
    }

    [Fact]
    public async Task RunRequestAsync_SuccessAndFailure_CountsInvocationsByTypeAndOutcomeAndRecordsTheirDurations()
    {
        await using var harness = new DeliveryHarness();
        var slow = await harness.CreateTargetAsync("slow");
        var call = await harness.CreateTargetAsync("call", TargetType.Call);
        await harness.SetExecutionAsync(Condition.RequestMethod(Method), slow, call);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Invoker.Script("slow", Answer.WaitFor(gate));
        using var recorder = new MeasurementRecorder(harness.Provider.GetRequiredService<ActionExecTelemetry>().Meter);

        // The slow target answers after two seconds of the harness's clock; the call target answers 200 with no body at all,
        // which is not JSON.
        var flow = harness.Dispatcher.RunRequestAsync(harness.Context, Method, JsonNode.Parse("{}")).AsTask();
        await harness.WaitForCallsAsync(1);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        gate.SetResult();
        await flow;

        Assert.Equal(
            [
                "actionexec.target.invocations 1 [actionexec.target.type=webhook, actionexec.outcome=success]",
                "actionexec.target.invocations 1 [actionexec.target.type=call, actionexec.outcome=not_json]",
            ],
            recorder.Of("actionexec.target.invocations"));
        Assert.Equal(
            [
                "actionexec.target.duration 2 [actionexec.target.type=webhook, actionexec.outcome=success]",
                "actionexec.target.duration 0 [actionexec.target.type=call, actionexec.outcome=not_json]",
            ],
            recorder.Of("actionexec.target.duration"));
        Assert.Equal("s", recorder.Unit("actionexec.target.duration"));
    }

    [Fact]
    public async Task RunRequestAsync_OnlyTheHistogramListens_StillMeasuresTheDuration()
    {
        // No logger is enabled, so the histogram's listener alone is what makes the flow time its attempts.
        await using var harness = new DeliveryHarness(build: b => b.Services.Replace(ServiceDescriptor.Singleton(typeof(ILogger<>), typeof(NullLogger<>))));
        var slow = await harness.CreateTargetAsync("slow");
        await harness.SetExecutionAsync(Condition.RequestMethod(Method), slow);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Invoker.Script("slow", Answer.WaitFor(gate));
        using var recorder = new MeasurementRecorder(harness.Provider.GetRequiredService<ActionExecTelemetry>().Meter);

        var flow = harness.Dispatcher.RunRequestAsync(harness.Context, Method, JsonNode.Parse("{}")).AsTask();
        await harness.WaitForCallsAsync(1);
        harness.Time.Advance(TimeSpan.FromMilliseconds(1500));
        gate.SetResult();
        await flow;

        Assert.Equal(["actionexec.target.duration 1.5 [actionexec.target.type=webhook, actionexec.outcome=success]"], recorder.Of("actionexec.target.duration"));
        Assert.Empty(harness.Logs.Records);
    }

    [Fact]
    public async Task DeliveryGivenUp_QueueLengthIsObservableAndTheDeadLetterIsCounted()
    {
        await using var harness = new DeliveryHarness();
        await harness.BindEventAsync("hook");
        var gate = new TaskCompletionSource();
        harness.Invoker.Script("hook", Answer.WaitFor(gate) with { Status = 400 });
        using var recorder = new MeasurementRecorder(harness.Provider.GetRequiredService<ActionExecTelemetry>().Meter);

        await harness.PublishAsync();
        await harness.StartAsync();
        await harness.WaitForCallsAsync(1);

        // The gauge reports the queue as the worker last counted it: when its loop started, and on its timer.
        await Eventually.WaitUntilAsync(() => harness.Worker.QueueLength == 1, "the worker counted the delivery in flight");
        recorder.Observe();
        gate.SetResult();
        await harness.WaitForFinishedAsync(1);
        harness.Time.Advance(DeliveryWorker.QueueCountInterval);
        await Eventually.WaitUntilAsync(() => harness.Worker.QueueLength == 0, "the worker counted an empty queue");
        recorder.Observe();

        Assert.Equal(
            [
                "actionexec.delivery.queue_length 1 []",
                "actionexec.delivery.queue_length 0 []",
            ],
            recorder.Of("actionexec.delivery.queue_length"));
        Assert.Equal(["actionexec.delivery.dead_letters 1 [actionexec.reason=final_failure]"], recorder.Of("actionexec.delivery.dead_letters"));
        Assert.Equal(["actionexec.target.invocations 1 [actionexec.target.type=webhook, actionexec.outcome=status]"], recorder.Of("actionexec.target.invocations"));
        Assert.Equal(["actionexec.delivery.finished 1 [actionexec.outcome=dead_lettered]"], recorder.Of("actionexec.delivery.finished"));
    }

    [Fact]
    public async Task DeliveryRetriedThenDelivered_CountsTheRetryAndTheDeliveryAsTheStatisticsDo()
    {
        await using var harness = new DeliveryHarness();
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", Answer.WithStatus(503), Answer.WithStatus(200));
        using var recorder = new MeasurementRecorder(harness.Provider.GetRequiredService<ActionExecTelemetry>().Meter);

        await harness.PublishAsync();
        await harness.StartAsync();
        await harness.WaitForRetryDueAtAsync(harness.Start.AddSeconds(5));
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.WaitForFinishedAsync(1);

        Assert.Equal(["actionexec.delivery.retries 1 []"], recorder.Of("actionexec.delivery.retries"));
        Assert.Equal(["actionexec.delivery.finished 1 [actionexec.outcome=delivered]"], recorder.Of("actionexec.delivery.finished"));
        Assert.Equal((1, 1), (harness.Statistics.Retries, harness.Statistics.Delivered));
    }

    /// <summary>Records every measurement of one meter's instruments as <c>name value [tag=value, …]</c>, in arrival order.</summary>
    private sealed class MeasurementRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, string Text)> _measurements = new();
        private readonly ConcurrentDictionary<string, string?> _units = new(StringComparer.Ordinal);

        public MeasurementRecorder(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    _units[instrument.Name] = instrument.Unit;
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        public IReadOnlyList<string> Of(string instrument) => [.. _measurements.Where(m => string.Equals(m.Instrument, instrument, StringComparison.Ordinal)).Select(m => m.Text)];

        public string? Unit(string instrument) => _units.GetValueOrDefault(instrument);

        /// <summary>Collects the observable instruments now.</summary>
        public void Observe() => _listener.RecordObservableInstruments();

        public void Dispose() => _listener.Dispose();

        private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            where T : IFormattable
        {
            var pairs = new List<string>();
            foreach (var (key, tag) in tags)
            {
                pairs.Add($"{key}={tag}");
            }

            _measurements.Enqueue((instrument.Name, $"{instrument.Name} {value.ToString(null, System.Globalization.CultureInfo.InvariantCulture)} [{string.Join(", ", pairs)}]"));
        }
    }
}
