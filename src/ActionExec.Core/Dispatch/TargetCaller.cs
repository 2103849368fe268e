using ActionExec.Json;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ActionExec.Diagnostics;
using ActionExec.Engine;
using ActionExec.Payloads;
using ActionExec.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActionExec.Dispatch;

/// <summary>
/// Makes one attempt to call a target and classifies what happened: the invoker chosen by the endpoint's
/// scheme, the target's timeout over the whole attempt, statuses, the size limit, forwarded errors and, for call
/// targets, the JSON check. Used by the flows and by background delivery, so both judge an answer the same way.
/// </summary>
internal sealed partial class TargetCaller
{
    private static readonly byte[] ForwardedStatusProperty = "forwardedStatusCode"u8.ToArray();

    private readonly TargetInvokerRegistry _invokers;
    private readonly TimeProvider _time;
    private readonly DispatchOptions _options;
    private readonly ActionExecTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly DeadlinePool _deadlines;
    private readonly PayloadEncoder _payloads;

    /// <summary>Creates the caller.</summary>
    /// <param name="invokers">The invokers by scheme.</param>
    /// <param name="time">The clock for timeouts and durations.</param>
    /// <param name="options">The dispatch options.</param>
    /// <param name="telemetry">The activity source and meter.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="payloads">Encodes JWT and JWE payloads; without it, one without signing keys (their attempts fail).</param>
    public TargetCaller(
        TargetInvokerRegistry invokers,
        TimeProvider time,
        IOptions<DispatchOptions> options,
        ActionExecTelemetry telemetry,
        ILogger<TargetCaller> logger,
        PayloadEncoder? payloads = null)
    {
        ArgumentNullException.ThrowIfNull(invokers);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(logger);
        _invokers = invokers;
        _time = time;
        _options = options.Value;
        _telemetry = telemetry;
        _logger = logger;
        _deadlines = new DeadlinePool(time);
        _payloads = payloads ?? new PayloadEncoder(time, options);
    }

    /// <summary>The invokers by scheme.</summary>
    public TargetInvokerRegistry Invokers => _invokers;

    /// <summary>Calls a target once.</summary>
    /// <param name="target">The target.</param>
    /// <param name="payload">The exact payload bytes.</param>
    /// <param name="deliveryId">The delivery id (stable across retries).</param>
    /// <param name="attempt">The attempt number, from 1.</param>
    /// <param name="cancellationToken">Cancelled when the caller gives up (not a target failure: it propagates).</param>
    /// <returns>The classified attempt.</returns>
    public async ValueTask<TargetAttempt> CallAsync(
        ResolvedTarget target,
        ReadOnlyMemory<byte> payload,
        string deliveryId,
        int attempt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var outcome = await CallCoreAsync(target, payload, deliveryId, null, 0, attempt, cancellationToken).ConfigureAwait(false);
        return outcome.Failed ?? new TargetAttempt(target, TargetFailureKind.None, outcome.StatusCode, null, outcome.Body, outcome.Duration) { Answer = outcome.Answer };
    }

    /// <summary>
    /// Calls the target at <paramref name="position"/> of a synchronous flow once, with its own id from <paramref name="flowIds"/>.
    /// A success carries no <see cref="TargetAttempt"/>: the flow needs only the answer's body.
    /// </summary>
    internal ValueTask<AttemptOutcome> CallInFlowAsync(ResolvedTarget target, ReadOnlyMemory<byte> payload, FlowIds flowIds, int position, CancellationToken cancellationToken) =>
        CallCoreAsync(target, payload, null, flowIds, position, 1, cancellationToken);

    internal static string TypeName(TargetType type) => type switch
    {
        TargetType.Webhook => "webhook",
        TargetType.Call => "call",
        _ => "async",
    };

    internal static string OutcomeName(TargetFailureKind kind) => kind switch
    {
        TargetFailureKind.Transport => "transport_error",
        TargetFailureKind.Timeout => "timeout",
        TargetFailureKind.Status => "status",
        TargetFailureKind.ResponseTooLarge => "response_too_large",
        TargetFailureKind.NotJson => "not_json",
        TargetFailureKind.Forwarded => "forwarded",
        TargetFailureKind.Denied => "denied",
        TargetFailureKind.NoInvoker => "no_invoker",
        _ => "success",
    };

    /// <summary>Makes one attempt and records it: counter, log, activity.</summary>
    /// <remarks>
    /// An attempt whose invoker completes synchronously (an in-process invoker) runs without entering an async method here, in
    /// <see cref="AttemptAsync"/> or in <see cref="InvokeWithDeadlineAsync"/>; only an attempt that waits pays for one.
    /// </remarks>
    private ValueTask<AttemptOutcome> CallCoreAsync(
        ResolvedTarget target,
        ReadOnlyMemory<byte> payload,
        string? deliveryId,
        FlowIds? flowIds,
        int position,
        int attempt,
        CancellationToken cancellationToken)
    {
        var type = target.Definition.Type;
        var activity = _telemetry.Source.StartActivity("actionexec.target", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("actionexec.target.id", target.Id);
            activity.SetTag("actionexec.target.name", target.Name);
            activity.SetTag("actionexec.target.type", TypeName(type));
            activity.SetTag("actionexec.attempt", attempt);
        }

        // Reading the clock can cost more than an in-process call itself. Inside a flow a duration is used only by the histogram
        // and the success record, so it is measured when one of them is listening; a TargetAttempt handed out always has one.
        var timed = flowIds is null || _telemetry.IsDurationObserved || _logger.IsEnabled(LogLevel.Debug);
        var started = timed ? _time.GetTimestamp() : 0;
        ValueTask<AttemptOutcome> pending;
        try
        {
            pending = AttemptAsync(target, payload, deliveryId, flowIds, position, attempt, timed, started, cancellationToken);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            Record(target, type, attempt, timed, result, activity);
            return new(result);
        }

        return RecordWhenDoneAsync(pending, target, type, attempt, timed, activity);
    }

    private async ValueTask<AttemptOutcome> RecordWhenDoneAsync(ValueTask<AttemptOutcome> pending, ResolvedTarget target, TargetType type, int attempt, bool timed, Activity? activity)
    {
        AttemptOutcome result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }

        Record(target, type, attempt, timed, result, activity);
        return result;
    }

    /// <summary>Counts, logs and traces a finished attempt, and ends its activity.</summary>
    private void Record(ResolvedTarget target, TargetType type, int attempt, bool timed, AttemptOutcome result, Activity? activity)
    {
        var failed = result.Failed;
        var outcome = failed is null ? "success" : OutcomeName(failed.Failure);
        _telemetry.RecordAttempt(TypeName(type), outcome, timed ? result.Duration : null);
        if (failed is null)
        {
            LogAttemptSucceeded(target.Name, target.Id, attempt, result.StatusCode ?? 0, result.Duration.TotalMilliseconds);
        }
        else
        {
            activity?.SetStatus(ActivityStatusCode.Error, failed.Reason);
            LogAttemptFailed(target.Name, target.Id, attempt, outcome, failed.Reason!);
        }

        if (activity is not null)
        {
            activity.SetTag("actionexec.outcome", outcome);
            if (result.StatusCode is { } status)
            {
                activity.SetTag("http.response.status_code", status);
            }

            activity.Dispose();
        }
    }

    private ValueTask<AttemptOutcome> AttemptAsync(
        ResolvedTarget target,
        ReadOnlyMemory<byte> payload,
        string? deliveryId,
        FlowIds? flowIds,
        int position,
        int attempt,
        bool timed,
        long started,
        CancellationToken cancellationToken)
    {
        if (!_invokers.TryGet(target.Endpoint.Scheme, out var invoker))
        {
            return new(Failed(new TargetAttempt(target, TargetFailureKind.NoInvoker, null, $"no invoker handles the scheme '{target.Endpoint.Scheme}'", default, Elapsed(timed, started))));
        }

        // A JWT or JWE target gets its token here, per attempt, so that every invoker sends (and signs) the same bytes; a token that
        // cannot be made fails the attempt for good, never falling back to plain JSON.
        if (target.Definition.PayloadType != PayloadType.Json && !_payloads.TryEncode(target, payload, out payload, out var problem))
        {
            return new(Failed(new TargetAttempt(target, TargetFailureKind.Denied, null, problem, default, Elapsed(timed, started))));
        }

        var request = flowIds is null
            ? new TargetRequest(target, payload, deliveryId!, attempt)
            : new TargetRequest(target, payload, flowIds, position);
        var pending = InvokeWithDeadlineAsync(invoker, request, target.Definition.Timeout, cancellationToken);
        return pending.IsCompletedSuccessfully
            ? new(Classify(target, pending.Result, timed, started))
            : AwaitAttemptAsync(pending, target, timed, started, cancellationToken);
    }

    private async ValueTask<AttemptOutcome> AwaitAttemptAsync(ValueTask<TargetResponse> pending, ResolvedTarget target, bool timed, long started, CancellationToken cancellationToken)
    {
        var timeout = target.Definition.Timeout;
        TargetResponse response;
        try
        {
            response = await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return Failed(new TargetAttempt(target, TargetFailureKind.Timeout, null, string.Create(CultureInfo.InvariantCulture, $"no answer within its timeout of {timeout.TotalSeconds:0.###}s"), default, Elapsed(timed, started)));
        }
        catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
        {
            // An invoker returns its failures; one that throws anyway is taken as having got no answer.
            return Failed(new TargetAttempt(target, TargetFailureKind.Transport, null, $"no answer: {e.GetType().Name}: {e.Message}", default, Elapsed(timed, started)));
        }

        return Classify(target, response, timed, started);
    }

    /// <summary>Judges an answer: the invoker's own failure, the size limit, the status, a forwarded error, the JSON check.</summary>
    private AttemptOutcome Classify(ResolvedTarget target, TargetResponse response, bool timed, long started)
    {
        if (response.Failure != TargetFailureKind.None)
        {
            return Fail(response.Failure, null, response.FailureReason!);
        }

        var status = response.StatusCode;
        if (response.Body.Length > _options.MaxResponseBytes)
        {
            return Fail(TargetFailureKind.ResponseTooLarge, status, $"its answer of {response.Body.Length} bytes exceeds the limit of {_options.MaxResponseBytes} bytes");
        }

        if (!response.IsSuccess)
        {
            var reason = status is >= 300 and < 400
                ? $"it answered {status} (redirects are not followed)"
                : $"it answered {status}";
            return Failed(Attempt(TargetFailureKind.Status, status, reason) with { RetryAfter = response.RetryAfter, Answer = response });
        }

        var body = response.Body;
        if (body.Span.IndexOf(ForwardedStatusProperty) >= 0 && TryReadForwarded(body.Span, out var forwardedStatus, out var forwardedMessage))
        {
            // The forwarded message is the receiver's own text: it goes to the host, never into this library's logs.
            return Failed(Attempt(TargetFailureKind.Forwarded, status, $"it forwarded status {forwardedStatus}") with { ForwardedStatusCode = forwardedStatus, ForwardedMessage = forwardedMessage, Answer = response });
        }

        if (target.Definition.Type == TargetType.Call && !IsJson(body.Span))
        {
            return Failed(Attempt(TargetFailureKind.NotJson, status, "its answer is not JSON") with { Answer = response });
        }

        return new AttemptOutcome(null, status, body, Elapsed(timed, started), response);

        AttemptOutcome Fail(TargetFailureKind kind, int? code, string reason) => Failed(Attempt(kind, code, reason));

        TargetAttempt Attempt(TargetFailureKind kind, int? code, string reason) => new(target, kind, code, reason, default, Elapsed(timed, started));
    }

    private TimeSpan Elapsed(bool timed, long started) => timed ? _time.GetElapsedTime(started) : TimeSpan.Zero;

    private static AttemptOutcome Failed(TargetAttempt attempt) => new(attempt, attempt.StatusCode, default, attempt.Duration);

    /// <summary>
    /// Invokes under the target's deadline, armed only once the invoker has not finished at once. The caller's token cancels the
    /// deadline's source through a registration instead of a linked source, so an attempt creates no second source, and registers
    /// nothing when the caller's token cannot be cancelled. The source and the registration live until the invoker finishes, even
    /// when an invoker that ignores its token is abandoned at the deadline, so it never observes a disposed source. An invoker that
    /// throws instead of returning its task hands back a faulted one, judged as any other fault is.
    /// </summary>
    private ValueTask<TargetResponse> InvokeWithDeadlineAsync(ITargetInvoker invoker, TargetRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _deadlines.Rent();
        var link = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), deadline)
            : default;
        ValueTask<TargetResponse> pending;
        try
        {
            pending = invoker.InvokeAsync(request, deadline.Token);
        }
        catch (Exception e)
        {
            pending = ValueTask.FromException<TargetResponse>(e);
        }

        if (pending.IsCompleted)
        {
            // Disposing the registration waits for a cancellation that is running, so nothing cancels the source once it is back.
            link.Dispose();
            _deadlines.Return(deadline);
            return pending;
        }

        // The deadline runs from here. An invoker that finished at once needed no timer: re-arming one is most of what an
        // in-process call costs. One that works synchronously and watches its token for the deadline is not cut short by it.
        DeadlinePool.Arm(deadline, timeout);
        return WaitWithDeadlineAsync(pending.AsTask(), deadline, link);
    }

    private async ValueTask<TargetResponse> WaitWithDeadlineAsync(Task<TargetResponse> running, CancellationTokenSource deadline, CancellationTokenRegistration link)
    {
        try
        {
            // An invoker that ignores its token must not hold the flow past the timeout either. The deadline's own token ends the
            // wait (it also carries the caller's cancellation), so the wait needs no timer of its own.
            return await running.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        finally
        {
            if (running.IsCompleted)
            {
                link.Dispose();
                _deadlines.Return(deadline);
            }
            else
            {
                _ = running.ContinueWith(static (_, state) => ((AbandonedAttempt)state!).Dispose(), new AbandonedAttempt(link, deadline), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Validates a whole JSON value (trailing content included) without allocating.</summary>
    private static bool IsJson(ReadOnlySpan<byte> body)
    {
        // An escaped lone surrogate tokenises, but no .NET string can hold it, so the flow could not use the answer.
        if (body.IndexOfAnyExcept(" \t\r\n"u8) < 0 || JsonEscapes.TryFindLoneSurrogate(body, out _, out _))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads <c>{"forwardedStatusCode": N, "forwardedErrorMessage": "..."}</c> from a top-level JSON object.</summary>
    private static bool TryReadForwarded(ReadOnlySpan<byte> body, out int status, out string message)
    {
        status = 0;
        message = "";
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStatus = reader.ValueTextEquals("forwardedStatusCode"u8);
                var isMessage = !isStatus && reader.ValueTextEquals("forwardedErrorMessage"u8);
                reader.Read();
                if (isStatus)
                {
                    found = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out status) && status is >= 100 and < 600;
                }
                else if (isMessage)
                {
                    message = reader.TokenType == JsonTokenType.String ? reader.GetString() ?? "" : "";
                }

                // Every value is skipped whole, so that a property nested in an object or array is never read as a top-level one.
                reader.Skip();
            }

            return found;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>What an abandoned invoker still holds: released, never reused, once it finishes.</summary>
    private sealed class AbandonedAttempt(CancellationTokenRegistration link, CancellationTokenSource deadline) : IDisposable
    {
        public void Dispose()
        {
            link.Dispose();
            deadline.Dispose();
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Target {TargetName} ({TargetId}) attempt {Attempt} succeeded with status {StatusCode} in {DurationMs} ms.")]
    private partial void LogAttemptSucceeded(string targetName, string targetId, int attempt, int statusCode, double durationMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Target {TargetName} ({TargetId}) attempt {Attempt} failed ({Outcome}): {Reason}.")]
    private partial void LogAttemptFailed(string targetName, string targetId, int attempt, string outcome, string reason);
}
