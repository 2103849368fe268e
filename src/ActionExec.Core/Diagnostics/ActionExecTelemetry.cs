using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace ActionExec.Diagnostics;

/// <summary>
/// The library's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>ActionExec</c>: a span per flow and per
/// target attempt; invocation counts by target type and outcome, attempt durations, flows on names the catalog does not know, the delivery queue's length,
/// finished deliveries by outcome, retries and dead letters.
/// </summary>
internal sealed class ActionExecTelemetry : IDisposable
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "ActionExec";

    private readonly Counter<long> _invocations;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _unknownNames;
    private Func<int>? _queueLength;

    /// <summary>Creates the source and the meter.</summary>
    public ActionExecTelemetry()
    {
        var version = typeof(ActionExecTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        Source = new ActivitySource(Name, version);
        Meter = new Meter(Name, version);
        _invocations = Meter.CreateCounter<long>("actionexec.target.invocations", "{invocation}", "Target attempts, by target type and outcome.");
        _duration = Meter.CreateHistogram<double>("actionexec.target.duration", "s", "How long target attempts took, body included.");
        _deadLetters = Meter.CreateCounter<long>("actionexec.delivery.dead_letters", "{delivery}", "Background deliveries given up on.");
        _finished = Meter.CreateCounter<long>("actionexec.delivery.finished", "{delivery}", "Background deliveries that left the queue, by outcome: delivered, or dead_lettered when a target was given up.");
        _retries = Meter.CreateCounter<long>("actionexec.delivery.retries", "{retry}", "Retries scheduled after a failed attempt of a background delivery.");
        _unknownNames = Meter.CreateCounter<long>("actionexec.dispatch.unknown_names", "{call}", "Flows whose method, event type or function is missing from the host's catalog, by kind.");
        Meter.CreateObservableGauge("actionexec.delivery.queue_length", ObserveQueueLength, "{delivery}", "Background deliveries in the queue: waiting, scheduled for a retry or being worked on.");
    }

    /// <summary>The activity source.</summary>
    public ActivitySource Source { get; }

    /// <summary>The meter.</summary>
    public Meter Meter { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Source.Dispose();
        Meter.Dispose();
    }

    /// <summary>Whether anything listens to the duration histogram.</summary>
    internal bool IsDurationObserved => _duration.Enabled;

    /// <summary>Counts an attempt and, when it was measured, records its duration.</summary>
    internal void RecordAttempt(string targetType, string outcome, TimeSpan? duration)
    {
        var type = new KeyValuePair<string, object?>("actionexec.target.type", targetType);
        var result = new KeyValuePair<string, object?>("actionexec.outcome", outcome);
        _invocations.Add(1, type, result);
        if (duration is { } measured)
        {
            _duration.Record(measured.TotalSeconds, type, result);
        }
    }

    /// <summary>Makes the queue-length gauge report what <paramref name="queueLength"/> reads; until then it reports nothing.</summary>
    internal void ObserveQueue(Func<int> queueLength) => Volatile.Write(ref _queueLength, queueLength);

    internal void RecordDeadLetter(string reason) =>
        _deadLetters.Add(1, new KeyValuePair<string, object?>("actionexec.reason", reason));

    internal void RecordDeliveryFinished(bool withDeadLetters) =>
        _finished.Add(1, new KeyValuePair<string, object?>("actionexec.outcome", withDeadLetters ? "dead_lettered" : "delivered"));

    internal void RecordRetry() => _retries.Add(1);

    /// <summary>Counts a flow whose name the catalog does not know; <paramref name="kind"/> is request, response, function or event.</summary>
    internal void RecordUnknownName(string kind) =>
        _unknownNames.Add(1, new KeyValuePair<string, object?>("actionexec.kind", kind));

    private IEnumerable<Measurement<int>> ObserveQueueLength() =>
        Volatile.Read(ref _queueLength) is { } queueLength ? [new Measurement<int>(queueLength())] : [];
}
