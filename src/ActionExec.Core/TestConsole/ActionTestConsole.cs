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
using ActionExec.Serialization;
using ActionExec.Targets;
using Microsoft.Extensions.Logging;

namespace ActionExec.TestConsole;

/// <summary>
/// The action test console (spec §12, Fusio's <c>POST /backend/action/execute/{action_id}</c>): runs one target, or an
/// execution's whole flattened chain, against a synthetic request, and returns what came back. A dry run: it changes no stored
/// state and enqueues nothing.
/// </summary>
/// <remarks>
/// <para>
/// <b>Checks, in order.</b> The caller must hold <see cref="ActionPermissions.TargetWrite"/> (<c>action.target.write</c>) — the
/// console sends requests to endpoints signed with the tenant's signing keys, which is as much power as creating a target that
/// points anywhere — and the <c>actions</c> feature must be enabled, as for the management service: both before the body is
/// read, so a caller without them learns nothing about its input (<see cref="ActionExecErrorCode.PermissionDenied"/>, then
/// <see cref="ActionExecErrorCode.FailedPrecondition"/>). Then the request (<see cref="ActionExecErrorCode.InvalidArgument"/>
/// with every violation), then the action id (<see cref="ActionExecErrorCode.NotFound"/> naming it).
/// </para>
/// <para>
/// <b>The action id</b> is tried as a target id, then as a target name, then as the canonical id of an existing execution
/// (<c>request/pkg.v1.Service/Method</c>, <c>event/user.human.*</c>, …). The first that exists wins, so a target named like an
/// execution id hides that execution from the console. An execution runs its flattened targets: includes resolved, under
/// <see cref="MatchPolicy.Cascade"/> with the more general levels' targets too, exactly as a call matching it would run them.
/// </para>
/// <para>
/// <b>Every target receives</b> <c>{"method", "uriFragments": {…}, "parameters": {…}, "headers": {…}, "body": …}</c>, the maps as
/// JSON objects of strings, POSTed and signed like every target call, each call with its own <c>webhook-id</c>. Async targets are
/// called and awaited here like the others, never queued.
/// </para>
/// <para>
/// <b>The answer</b> is the target's own status, headers (without hop-by-hop ones) and body, whatever its status — a 404 or a
/// 500 of the target is returned as such, as is a 200 carrying a forwarded error. A target that gave no answer (transport error,
/// denied endpoint, no invoker, an answer over the size limit) gives 500 and a timeout 504, both with
/// <c>{"success": false, "message": "target &lt;name&gt; failed: &lt;reason&gt;"}</c>; the reason names the failure, never a stack trace.
/// </para>
/// <para>
/// <b>A chain</b> runs like a flow: in order; a call target's successful JSON answer replaces <c>body</c> for the targets after
/// it; a failing target without <c>interruptOnError</c> is recorded and the chain goes on with the body unchanged. The answer is
/// that of the last target that answered (or, when none answered, of the last that ran). When a target with
/// <c>interruptOnError</c> fails, the chain stops there and the answer is that target's (its own answer, or 500/504 when it gave
/// none); the targets after it are traced as <c>skipped</c>. An execution without targets answers 200 with a <c>null</c> body and
/// an empty trace. A chain's answer carries <c>trace</c>: one row per target, in chain order.
/// </para>
/// </remarks>
public sealed partial class ActionTestConsole
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

    /// <summary>
    /// Runs the target or execution <paramref name="actionId"/> names against the request in <paramref name="utf8Json"/> and
    /// returns the answer as JSON: <c>{"statusCode", "headers", "body"}</c>, plus <c>"trace"</c> for a chain. The body's format
    /// is described at <see cref="ActionExecJson.ReadConsoleRequest"/>; the rest in the remarks of <see cref="ActionTestConsole"/>.
    /// </summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="actionId">A target id, a target name or a canonical execution id.</param>
    /// <param name="utf8Json">The request body.</param>
    /// <param name="cancellationToken">Cancels the run; not a target failure, it propagates.</param>
    /// <returns>The UTF-8 JSON answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="caller"/> or <paramref name="actionId"/> is null.</exception>
    /// <exception cref="ActionExecException">
    /// In this order: <see cref="ActionExecErrorCode.PermissionDenied"/>; <see cref="ActionExecErrorCode.FailedPrecondition"/>
    /// when the feature is disabled; <see cref="ActionExecErrorCode.InvalidArgument"/> for a body that is not a valid request,
    /// with every violation and its field; <see cref="ActionExecErrorCode.NotFound"/> when <paramref name="actionId"/> names nothing.
    /// A failing target is never an exception: it is in the answer.
    /// </exception>
    public async ValueTask<byte[]> ExecuteJsonAsync(ManagementCaller caller, string actionId, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(actionId);
        await AuthorizeAsync(caller, cancellationToken).ConfigureAwait(false);
        var request = ActionExecJson.ReadConsoleRequest(utf8Json.Span);
        var response = await RunAsync(caller, actionId, request, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteConsoleResponse(response);
    }

    /// <summary>Runs the target or execution <paramref name="actionId"/> names against <paramref name="request"/>.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="actionId">A target id, a target name or a canonical execution id.</param>
    /// <param name="request">The synthetic request.</param>
    /// <param name="cancellationToken">Cancels the run; not a target failure, it propagates.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ActionExecException">As <see cref="ExecuteJsonAsync"/>; <see cref="ActionExecErrorCode.InvalidArgument"/> for a method that is not one of the five, an empty name, a null value, or a header name or value that HTTP does not allow.</exception>
    public async ValueTask<ConsoleResponse> ExecuteAsync(ManagementCaller caller, string actionId, ConsoleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(actionId);
        ArgumentNullException.ThrowIfNull(request);
        await AuthorizeAsync(caller, cancellationToken).ConfigureAwait(false);
        return await RunAsync(caller, actionId, request, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<ConsoleResponse> RunAsync(ManagementCaller caller, string actionId, ConsoleRequest request, CancellationToken cancellationToken)
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
        var trace = ImmutableArray.CreateBuilder<ConsoleTraceEntry>(targets.Length);
        var body = InitialBody(request);
        ReadOnlyMemory<byte> payload = default;
        ConsoleResponse? lastAnswered = null;
        ConsoleResponse? lastRun = null;
        ConsoleResponse? interrupted = null;
        for (var i = 0; i < targets.Length; i++)
        {
            var target = targets[i];
            if (payload.IsEmpty)
            {
                payload = Payload(request, body);
            }

            var attempt = await CallAsync(target, payload, cancellationToken).ConfigureAwait(false);
            var response = ToResponse(attempt);
            trace.Add(new ConsoleTraceEntry
            {
                Id = target.Id,
                Name = target.Name,
                StatusCode = response.StatusCode,
                Duration = attempt.Duration,
                Outcome = attempt.Succeeded ? ConsoleTraceEntry.Success : TargetCaller.OutcomeName(attempt.Failure),
            });
            lastRun = response;
            if (attempt.Answer is not null)
            {
                lastAnswered = response;
            }

            var type = target.Definition.Type;
            if (!attempt.Succeeded)
            {
                if (type != TargetType.Async && target.Definition.InterruptOnError)
                {
                    interrupted = response;
                    for (var rest = i + 1; rest < targets.Length; rest++)
                    {
                        trace.Add(new ConsoleTraceEntry { Id = targets[rest].Id, Name = targets[rest].Name, Outcome = ConsoleTraceEntry.Skipped });
                    }

                    break;
                }

                continue;
            }

            if (type == TargetType.Call)
            {
                // As in a flow: the next target gets a payload built around this answer.
                body = attempt.Body;
                payload = default;
            }
        }

        var final = interrupted ?? lastAnswered ?? lastRun ?? new ConsoleResponse { StatusCode = 200, Body = JsonElements.Null };
        return final with { IsChain = true, Trace = trace.DrainToImmutable() };
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
    private ValueTask AuthorizeAsync(ManagementCaller caller, CancellationToken cancellationToken) =>
        ActionAuthorization.EnsureAsync(_permissions, _features, caller, ActionPermissions.TargetWrite, cancellationToken);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Console run of {Action} in tenant {TenantId}: {TargetCount} targets, answered {StatusCode}.")]
    private partial void LogRun(string action, string tenantId, int targetCount, int statusCode);
}
