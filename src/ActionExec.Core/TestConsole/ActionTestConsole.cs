using System.Buffers;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Text.Json;
using ActionExec.Conditions;
using ActionExec.Diagnostics;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Json;
using Microsoft.Extensions.Logging;

namespace ActionExec.TestConsole;

/// <summary>The one implementation of <see cref="IActionTestConsole"/>; its remarks say what a run does.</summary>
internal sealed partial class ActionTestConsole : IActionTestConsole
{
    private readonly ActionEngine _engine;
    private readonly TargetCaller _caller;
    private readonly IActionPermissionChecker _permissions;
    private readonly IActionFeatureFlags _features;
    private readonly ActionExecTelemetry _telemetry;
    private readonly ILogger _logger;

    /// <summary>Creates the console.</summary>
    /// <param name="engine">The engine that owns the tenants' snapshots.</param>
    /// <param name="caller">Calls targets and classifies their answers.</param>
    /// <param name="permissions">The permission checker.</param>
    /// <param name="features">The feature flags.</param>
    /// <param name="telemetry">The activity source.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ActionTestConsole(
        ActionEngine engine,
        TargetCaller caller,
        IActionPermissionChecker permissions,
        IActionFeatureFlags features,
        ActionExecTelemetry telemetry,
        ILogger<ActionTestConsole> logger)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(permissions);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(logger);
        _engine = engine;
        _caller = caller;
        _permissions = permissions;
        _features = features;
        _telemetry = telemetry;
        _logger = logger;
    }

    /// <summary>Runs the target or execution <paramref name="actionId"/> names against <paramref name="request"/>.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="actionId">A target id, a target name or a canonical execution id.</param>
    /// <param name="request">The synthetic request.</param>
    /// <param name="cancellationToken">Cancels the run; not a target failure, it propagates.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ActionExecException">In this order: <see cref="ActionExecErrorCode.PermissionDenied"/>; <see cref="ActionExecErrorCode.FailedPrecondition"/> when the feature is disabled; <see cref="ActionExecErrorCode.InvalidArgument"/> for a method that is not one of the five, an empty name, a null value, or a header name or value that HTTP does not allow.</exception>
    public async ValueTask<ConsoleResponse> ExecuteAsync(ManagementCaller caller, string actionId, ConsoleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(actionId);
        ArgumentNullException.ThrowIfNull(request);
        await AuthorizeAsync(caller, cancellationToken).ConfigureAwait(false);
        return await RunAsync(caller, actionId, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs an authorised request (see <see cref="AuthorizeAsync"/>).</summary>
    internal async ValueTask<ConsoleResponse> RunAsync(ManagementCaller caller, string actionId, ConsoleRequest request, CancellationToken cancellationToken)
    {
        request = ConsoleRequestRules.Validate(request);
        var snapshot = await _engine.GetSnapshotAsync(caller.TenantId, cancellationToken).ConfigureAwait(false);
        var (targets, execution) = Resolve(snapshot, actionId);

        using var activity = _telemetry.Source.StartActivity("actionexec.console");
        activity?.SetTag("actionexec.tenant", caller.TenantId);
        activity?.SetTag("actionexec.console.action", execution?.Id ?? targets[0].Id);
        activity?.SetTag("actionexec.targets", targets.Length);

        var response = execution is null
            ? await RunTargetAsync(targets[0], request, cancellationToken).ConfigureAwait(false)
            : await RunChainAsync(targets, request, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("http.response.status_code", response.StatusCode);
        LogRun(execution?.Id ?? targets[0].Id, caller.TenantId, targets.Length, response.StatusCode);
        return response;
    }

    /// <summary>A target id, then a target name, then an execution id; see the remarks of the class.</summary>
    private static (ImmutableArray<ResolvedTarget> Targets, Condition? Execution) Resolve(ActionSnapshot snapshot, string actionId)
    {
        if (snapshot.TryGetResolvedTarget(actionId, out var target)
            || (snapshot.TryGetTargetIdByName(actionId, out var id) && snapshot.TryGetResolvedTarget(id, out target)))
        {
            return ([target], null);
        }

        if (Condition.TryParse(actionId, out var condition))
        {
            return snapshot.TryGetCompiled(condition, out var compiled)
                ? (compiled.Targets, condition)
                : throw new ActionExecException(
                    ActionExecErrorCode.NotFound,
                    $"The action '{MessageText.Shorten(actionId)}' is not a target id or name, and tenant '{snapshot.TenantId}' has no execution '{condition.Id}'; set that execution first, or give a target's id or name.");
        }

        throw new ActionExecException(
            ActionExecErrorCode.NotFound,
            $"The action '{MessageText.Shorten(actionId)}' is not a target id, a target name or an execution id in tenant '{snapshot.TenantId}'; give a target's id or name, or an existing execution's id such as 'request/pkg.v1.Service/Method'.");
    }

    private async ValueTask<ConsoleResponse> RunTargetAsync(ResolvedTarget target, ConsoleRequest request, CancellationToken cancellationToken)
    {
        var attempt = await CallAsync(target, Payload(request, InitialBody(request)), cancellationToken).ConfigureAwait(false);
        return ToResponse(attempt);
    }

    private async ValueTask<ConsoleResponse> RunChainAsync(ImmutableArray<ResolvedTarget> targets, ConsoleRequest request, CancellationToken cancellationToken)
    {
        var steps = await FlowRunner.RunAsync(new ChainSteps(this, request, targets), 0, targets.Length, cancellationToken).ConfigureAwait(false);
        var final = steps.Interrupted ?? steps.LastAnswered ?? steps.LastRun ?? new ConsoleResponse { StatusCode = 200, Body = JsonElements.Null };
        return final with { IsChain = true, Trace = steps.Trace.DrainToImmutable() };
    }

    /// <summary>One attempt, with its own <c>webhook-id</c>: every call of the console is a message of its own.</summary>
    private ValueTask<TargetAttempt> CallAsync(ResolvedTarget target, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        _caller.CallAsync(target, payload, Guid.CreateVersion7().ToString("N"), 1, cancellationToken);

    private static ConsoleResponse ToResponse(TargetAttempt attempt)
    {
        if (attempt.Answer is { } answer)
        {
            var headers = new OrderedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? contentType = null;
            foreach (var (name, value) in answer.Headers)
            {
                headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
                if (contentType is null && string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    contentType = value;
                }
            }

            return new ConsoleResponse { StatusCode = answer.StatusCode, Headers = new ReadOnlyDictionary<string, string>(headers), Body = AnswerBody(answer.Body.Span, contentType) };
        }

        var message = $"target {attempt.Target.Name} failed: {attempt.Reason}";
        return new ConsoleResponse
        {
            StatusCode = attempt.Failure == TargetFailureKind.Timeout ? 504 : 500,
            Body = JsonElements.Parse(Envelope(writer =>
            {
                writer.WriteBoolean("success"u8, value: false);
                writer.WriteString("message"u8, message);
            }).Span),
        };
    }

    private static JsonElement AnswerBody(ReadOnlySpan<byte> body, string? contentType)
    {
        if (body.IsEmpty)
        {
            return JsonElements.Null;
        }

        return IsJsonMediaType(contentType) && JsonElements.TryParseWhole(body, out var json) ? json : JsonElements.Text(body);
    }

    /// <summary>No media type (then the body decides), <c>application/json</c>, <c>text/json</c> or any <c>…+json</c>.</summary>
    private static bool IsJsonMediaType(string? contentType)
    {
        if (contentType is null)
        {
            return true;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = (semicolon < 0 ? contentType : contentType[..semicolon]).AsSpan().Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static ReadOnlyMemory<byte> InitialBody(ConsoleRequest request)
    {
        if (request.Body.ValueKind == JsonValueKind.Undefined)
        {
            return "{}"u8.ToArray();
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            request.Body.WriteTo(writer);
        }

        return buffer.WrittenMemory;
    }

    private static ReadOnlyMemory<byte> Payload(ConsoleRequest request, ReadOnlyMemory<byte> body) => Envelope(writer =>
    {
        writer.WriteString("method"u8, request.Method);
        WriteMap(writer, "uriFragments"u8, request.UriFragments);
        WriteMap(writer, "parameters"u8, request.Parameters);
        WriteMap(writer, "headers"u8, request.Headers);
        writer.WritePropertyName("body"u8);
        writer.WriteRawValue(body.Span);
    });

    private static void WriteMap(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyDictionary<string, string> map)
    {
        writer.WritePropertyName(name);
        writer.WriteStartObject();
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static ReadOnlyMemory<byte> Envelope(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>The permission first (so a caller without it learns nothing), then the feature, as the management service checks them.</summary>
    internal ValueTask AuthorizeAsync(ManagementCaller caller, CancellationToken cancellationToken) =>
        ActionAuthorization.EnsureAsync(_permissions, _features, caller, ActionPermissions.TargetWrite, cancellationToken);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Console run of {Action} in tenant {TenantId}: {TargetCount} targets, answered {StatusCode}.")]
    private partial void LogRun(string action, string tenantId, int targetCount, int statusCode);

    /// <summary>
    /// A chain runs like a flow, with three differences: every target is called (async ones too, never queued), a call target's
    /// answer replaces <c>body</c>, and an interrupting failure ends the chain with that target's answer, tracing the rest as skipped.
    /// </summary>
    private sealed class ChainSteps(ActionTestConsole console, ConsoleRequest request, ImmutableArray<ResolvedTarget> targets) : IFlowSteps
    {
        private ReadOnlyMemory<byte> _body = InitialBody(request);

        public ImmutableArray<ConsoleTraceEntry>.Builder Trace { get; } = ImmutableArray.CreateBuilder<ConsoleTraceEntry>(targets.Length);

        public ConsoleResponse? LastAnswered { get; private set; }

        public ConsoleResponse? LastRun { get; private set; }

        public ConsoleResponse? Interrupted { get; private set; }

        public ValueTask<FlowStep> ResolveAsync(int position, CancellationToken cancellationToken) => new(FlowStep.Run(targets[position]));

        public ReadOnlyMemory<byte> WritePayload() => Payload(request, _body);

        public async ValueTask<AttemptOutcome> RunAsync(ResolvedTarget target, int position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            var attempt = await console.CallAsync(target, payload, cancellationToken).ConfigureAwait(false);
            var response = ToResponse(attempt);
            Trace.Add(new ConsoleTraceEntry
            {
                Id = target.Id,
                Name = target.Name,
                StatusCode = response.StatusCode,
                Duration = attempt.Duration,
                Outcome = attempt.Succeeded ? ConsoleTraceEntry.Success : TargetCaller.OutcomeName(attempt.Failure),
            });
            LastRun = response;
            if (attempt.Answer is not null)
            {
                LastAnswered = response;
            }

            return new AttemptOutcome(attempt.Succeeded ? null : attempt, attempt.StatusCode, attempt.Body, attempt.Duration, attempt.Answer);
        }

        public string? Merge(ResolvedTarget target, ReadOnlyMemory<byte> answer)
        {
            _body = answer;
            return null;
        }

        public void Interrupt(int position, TargetAttempt failed)
        {
            Interrupted = LastRun;
            for (var rest = position + 1; rest < targets.Length; rest++)
            {
                Trace.Add(new ConsoleTraceEntry { Id = targets[rest].Id, Name = targets[rest].Name, Outcome = ConsoleTraceEntry.Skipped });
            }
        }
    }
}
