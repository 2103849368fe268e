using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActionExec.Catalog;
using ActionExec.Conditions;
using ActionExec.Diagnostics;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActionExec.Dispatch;

/// <summary>
/// The one implementation of <see cref="IActionDispatcher"/>: finds the execution that applies through the tenant's snapshot
/// and runs its flattened targets through <see cref="FlowRunner"/>. A value that matches nothing returns at once, without
/// allocating.
/// </summary>
internal sealed partial class ActionDispatcher : IActionDispatcher
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = false };

    [ThreadStatic]
    private static PayloadScratch? t_scratch;

    private readonly ActionEngine _engine;
    private readonly TargetCaller _caller;
    private readonly IFlowDeliveries _deliveries;
    private readonly DispatchOptions _options;
    private readonly ActionExecTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly ActionCatalog _catalog;
    private readonly UnknownNames _unknownNames = new();

    public ActionDispatcher(
        ActionEngine engine,
        ActionCatalog catalog,
        TargetCaller caller,
        IFlowDeliveries deliveries,
        IOptions<DispatchOptions> options,
        ActionExecTelemetry telemetry,
        ILogger<ActionDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(deliveries);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(logger);
        _engine = engine;
        _catalog = catalog;
        _caller = caller;
        _deliveries = deliveries;
        _options = options.Value;
        _telemetry = telemetry;
        _logger = logger;
    }

    public ValueTask<FlowMessage> RunRequestAsync(FlowContext context, string fullMethod, FlowMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ThrowIfMalformed(ConditionKind.Request, ConditionScope.Method, fullMethod, nameof(fullMethod));

        // A loaded tenant is answered without entering an async method: a value that matches nothing costs the lookup.
        if (!_engine.TryGetSnapshot(context.TenantId, out var snapshot))
        {
            return LoadThenRunRequestAsync(context, fullMethod, request, cancellationToken);
        }

        var match = Find(snapshot, ConditionKind.Request, fullMethod);
        return match is null ? new(request) : RunMessageFlowAsync("request", match, context, fullMethod, request, response: null, cancellationToken);
    }

    public ValueTask<FlowMessage> RunResponseAsync(FlowContext context, string fullMethod, FlowMessage request, FlowMessage response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ThrowIfMalformed(ConditionKind.Response, ConditionScope.Method, fullMethod, nameof(fullMethod));
        if (!_engine.TryGetSnapshot(context.TenantId, out var snapshot))
        {
            return LoadThenRunResponseAsync(context, fullMethod, request, response, cancellationToken);
        }

        var match = Find(snapshot, ConditionKind.Response, fullMethod);
        return match is null ? new(response) : RunMessageFlowAsync("response", match, context, fullMethod, request, response, cancellationToken);
    }

    public ValueTask<JsonObject> RunFunctionAsync(FlowContext context, string function, JsonObject? hostContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ThrowIfMalformed(ConditionKind.Function, ConditionScope.Function, function, nameof(function));
        if (!_engine.TryGetSnapshot(context.TenantId, out var snapshot))
        {
            return LoadThenRunFunctionAsync(context, function, hostContext, cancellationToken);
        }

        var match = Find(snapshot, ConditionKind.Function, function);
        return match is null ? new(new JsonObject()) : RunFunctionFlowAsync(match, context, function, hostContext, cancellationToken);
    }

    public ValueTask PublishEventAsync(FlowContext context, ActionEvent actionEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(actionEvent);
        ThrowIfMalformed(ConditionKind.Event, ConditionScope.Event, actionEvent.EventType, nameof(actionEvent));
        if (!_engine.TryGetSnapshot(context.TenantId, out var snapshot))
        {
            return LoadThenPublishAsync(context, actionEvent, cancellationToken);
        }

        var match = Find(snapshot, ConditionKind.Event, actionEvent.EventType);
        return match is null ? default : QueueEventAsync(match, context, actionEvent, cancellationToken);
    }

    /// <summary>
    /// Whether neither the request flow nor the response flow of <paramref name="fullMethod"/> can run for the tenant: its snapshot
    /// is loaded and matches neither. A host point that would have to build a context and a message for the flows skips them on
    /// this answer, without allocating; <see langword="false"/> (not loaded yet, or malformed) means "run them". A name the catalog
    /// does not know is reported as the flows report it.
    /// </summary>
    internal bool RulesOutMethod(string tenantId, string fullMethod) =>
        _engine.TryGetSnapshot(tenantId, out var snapshot)
        && ConditionRules.IsWellFormed(ConditionScope.Method, fullMethod)
        && Find(snapshot, ConditionKind.Request, fullMethod) is null
        && Find(snapshot, ConditionKind.Response, fullMethod) is null;

    /// <summary>Maps a failed attempt of an interrupting target to the error the host sees.</summary>
    internal static ActionExecException ToHostError(TargetAttempt attempt)
    {
        var name = attempt.Target.Name;
        if (attempt is { Failure: TargetFailureKind.Forwarded, ForwardedStatusCode: >= 400 and < 500 and var status })
        {
            var code = ActionExecErrorCodeExtensions.FromHttpStatusCode(status);
            return new ActionExecException(
                code is ActionExecErrorCode.Unknown or ActionExecErrorCode.Internal ? ActionExecErrorCode.FailedPrecondition : code,
                string.IsNullOrEmpty(attempt.ForwardedMessage) ? $"target {name} forwarded status {status}" : attempt.ForwardedMessage)
            {
                ForwardedHttpStatusCode = status,
            };
        }

        var reason = attempt is { Failure: TargetFailureKind.Forwarded, ForwardedMessage: { Length: > 0 } forwarded }
            ? $"{attempt.Reason}: {forwarded}"
            : attempt.Reason;
        return new ActionExecException(
            attempt.Failure == TargetFailureKind.Timeout ? ActionExecErrorCode.DeadlineExceeded : ActionExecErrorCode.FailedPrecondition,
            $"target {name} failed: {reason}");
    }

    /// <summary>
    /// Runs one target of a synchronous flow: an async target is queued with the payload, any other called with its own id
    /// from <paramref name="flowIds"/> (a call target may have rewritten the message, so each gets its own webhook-id: a
    /// receiver that drops duplicates by id must not drop the second target's message because the first had the same id).
    /// </summary>
    private ValueTask<AttemptOutcome> RunTargetAsync(ResolvedTarget target, int position, FlowIds flowIds, ReadOnlyMemory<byte> payload, Condition condition, string tenantId, CancellationToken cancellationToken) =>
        target.Definition.Type == TargetType.Async
            ? QueueAsync(target, payload, condition, tenantId, cancellationToken)
            : _caller.CallInFlowAsync(target, payload, flowIds, position, cancellationToken);

    private async ValueTask<AttemptOutcome> QueueAsync(ResolvedTarget target, ReadOnlyMemory<byte> payload, Condition condition, string tenantId, CancellationToken cancellationToken)
    {
        await _deliveries.EnqueueAsync(tenantId, condition.Id, [target.Id], payload, cancellationToken).ConfigureAwait(false);
        return default;
    }

    /// <summary>
    /// Throws when <paramref name="value"/> is not a well-formed name of its kind: a flow given a misspelt or malformed name would
    /// otherwise match nothing and do nothing, without a word. The rules are the conditions' own.
    /// </summary>
    private static void ThrowIfMalformed(ConditionKind kind, ConditionScope scope, string? value, string parameter)
    {
        if (value is null)
        {
            throw new ArgumentNullException(parameter);
        }

        if (!ConditionRules.IsWellFormed(scope, value))
        {
            ThrowMalformed(kind, scope, value, parameter);
        }
    }

    [DoesNotReturn]
    private static void ThrowMalformed(ConditionKind kind, ConditionScope scope, string value, string parameter)
    {
        var expected = scope switch
        {
            ConditionScope.Method => "a full method such as '/pkg.v1.Service/Method'",
            ConditionScope.Event => "an event type such as 'user.human.added'",
            _ => "a function name such as 'preuserinfo'",
        };
        var field = scope == ConditionScope.Event ? $"{parameter}.{nameof(ActionEvent.EventType)}" : parameter;
        throw new ArgumentException($"{field} is not {expected}: {ConditionRules.DescribeMalformed(kind, scope, value)}", parameter);
    }

    /// <summary>The execution to run, or <see langword="null"/>; a name that matches nothing is checked against the catalog.</summary>
    private MatchedExecution? Find(ActionSnapshot snapshot, ConditionKind kind, string value)
    {
        var match = snapshot.Match(kind, value);
        if (match is null)
        {
            // Only here: a matched flow never pays for the catalog.
            if (!_catalog.Knows(kind, value))
            {
                ReportUnknown(kind, value);
            }

            return null;
        }

        return match.Targets.IsEmpty ? null : match;
    }

    private void ReportUnknown(ConditionKind kind, string value)
    {
        var kindName = ConditionRules.Name(kind);
        _telemetry.RecordUnknownName(kindName);
        switch (_unknownNames.Note(kind, value))
        {
            case UnknownNames.Sighting.First:
                LogUnknownName(kindName, ConditionRules.Shorten(value));
                break;
            case UnknownNames.Sighting.Full:
                LogUnknownNamesFull(UnknownNames.Capacity);
                break;
        }
    }

    private async ValueTask<MatchedExecution?> LoadAndFindAsync(FlowContext context, ConditionKind kind, string value, CancellationToken cancellationToken)
    {
        var snapshot = await _engine.GetSnapshotAsync(context.TenantId, cancellationToken).ConfigureAwait(false);
        return Find(snapshot, kind, value);
    }

    private async ValueTask<FlowMessage> LoadThenRunRequestAsync(FlowContext context, string fullMethod, FlowMessage request, CancellationToken cancellationToken)
    {
        var match = await LoadAndFindAsync(context, ConditionKind.Request, fullMethod, cancellationToken).ConfigureAwait(false);
        return match is null ? request : await RunMessageFlowAsync("request", match, context, fullMethod, request, response: null, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<FlowMessage> LoadThenRunResponseAsync(FlowContext context, string fullMethod, FlowMessage request, FlowMessage response, CancellationToken cancellationToken)
    {
        var match = await LoadAndFindAsync(context, ConditionKind.Response, fullMethod, cancellationToken).ConfigureAwait(false);
        return match is null ? response : await RunMessageFlowAsync("response", match, context, fullMethod, request, response, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<JsonObject> LoadThenRunFunctionAsync(FlowContext context, string function, JsonObject? hostContext, CancellationToken cancellationToken)
    {
        var match = await LoadAndFindAsync(context, ConditionKind.Function, function, cancellationToken).ConfigureAwait(false);
        return match is null ? [] : await RunFunctionFlowAsync(match, context, function, hostContext, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask LoadThenPublishAsync(FlowContext context, ActionEvent actionEvent, CancellationToken cancellationToken)
    {
        var match = await LoadAndFindAsync(context, ConditionKind.Event, actionEvent.EventType, cancellationToken).ConfigureAwait(false);
        if (match is not null)
        {
            await QueueEventAsync(match, context, actionEvent, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The request flow (<paramref name="response"/> null) or the response flow of a matched method.</summary>
    private async ValueTask<FlowMessage> RunMessageFlowAsync(string flow, MatchedExecution match, FlowContext context, string fullMethod, FlowMessage request, FlowMessage? response, CancellationToken cancellationToken)
    {
        using var activity = StartFlow(flow, match, fullMethod);
        var steps = await FlowRunner.RunAsync(new MessageSteps(this, match, context, fullMethod, request, response), 0, match.Targets.Length, cancellationToken).ConfigureAwait(false);
        return steps.Response ?? steps.Request;
    }

    private async ValueTask<JsonObject> RunFunctionFlowAsync(MatchedExecution match, FlowContext context, string function, JsonObject? hostContext, CancellationToken cancellationToken)
    {
        var result = new JsonObject();
        using var activity = StartFlow("function", match, function);
        await FlowRunner.RunAsync(new FunctionSteps(this, match, context.TenantId, "function/" + function, hostContext, result), 0, match.Targets.Length, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async ValueTask QueueEventAsync(MatchedExecution match, FlowContext context, ActionEvent actionEvent, CancellationToken cancellationToken)
    {
        var payload = Envelope((Event: actionEvent, context.TenantId), static (writer, state) =>
        {
            var actionEvent = state.Event;
            writer.WriteString("aggregateID"u8, actionEvent.AggregateId);
            writer.WriteString("aggregateType"u8, actionEvent.AggregateType);
            WriteOptional(writer, "resourceOwner"u8, actionEvent.ResourceOwner);
            writer.WriteString("instanceID"u8, state.TenantId);
            WriteOptional(writer, "version"u8, actionEvent.Version);
            writer.WriteNumber("sequence"u8, actionEvent.Sequence);
            writer.WriteString("event_type"u8, actionEvent.EventType);
            writer.WriteString("created_at"u8, actionEvent.CreatedAt.UtcDateTime);
            WriteOptional(writer, "userID"u8, actionEvent.UserId);
            if (!actionEvent.Payload.IsEmpty)
            {
                writer.WritePropertyName("event_payload"u8);
                writer.WriteRawValue(actionEvent.Payload.Span);
            }
        });

        var targetIds = ImmutableArray.CreateBuilder<string>(match.Targets.Length);
        foreach (var target in match.Targets)
        {
            targetIds.Add(target.Id);
        }

        await _deliveries.EnqueueAsync(context.TenantId, "event/" + actionEvent.EventType, targetIds.MoveToImmutable(), payload, cancellationToken).ConfigureAwait(false);
        LogEventQueued(actionEvent.EventType, match.Condition.Id, match.Targets.Length);
    }

    private Activity? StartFlow(string flow, MatchedExecution match, string value)
    {
        var activity = _telemetry.Source.StartActivity("actionexec.flow");
        activity?.SetTag("actionexec.flow", flow);
        activity?.SetTag("actionexec.value", value);
        activity?.SetTag("actionexec.execution", match.Condition.Id);
        activity?.SetTag("actionexec.targets", match.Targets.Length);
        return activity;
    }

    private static void WriteHeaders(Utf8JsonWriter writer, FlowContext context, ISet<string> allowed)
    {
        var started = false;
        foreach (var (name, values) in context.Headers)
        {
            if (!allowed.Contains(name))
            {
                continue;
            }

            if (!started)
            {
                writer.WritePropertyName("headers"u8);
                writer.WriteStartObject();
                started = true;
            }

            writer.WritePropertyName(name);
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        if (started)
        {
            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// Writes a payload object; the properties come from a static writer and its state, so no closure is allocated. The JSON
    /// writer and its buffer are kept per thread and the payload copied out at its exact size: a flow allocates its payload's
    /// bytes and nothing around them.
    /// </summary>
    private static ReadOnlyMemory<byte> Envelope<TState>(TState state, Action<Utf8JsonWriter, TState> writeProperties)
    {
        var scratch = t_scratch ??= new PayloadScratch();
        scratch.Buffer.ResetWrittenCount();
        var writer = scratch.Writer;
        writer.Reset(scratch.Buffer);
        try
        {
            writer.WriteStartObject();
            writeProperties(writer, state);
            writer.WriteEndObject();
            writer.Flush();
            return scratch.Buffer.WrittenSpan.ToArray();
        }
        finally
        {
            // A very large payload does not keep its buffer alive on the thread.
            if (scratch.Buffer.Capacity > PayloadScratch.KeptBytes)
            {
                t_scratch = null;
            }
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }



    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Queued event {EventType} for execution {ExecutionId} with {TargetCount} targets.")]
    private partial void LogEventQueued(string eventType, string executionId, int targetCount);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Target {TargetName} ({TargetId}) answered, but its answer cannot be used: {Reason}.")]
    private partial void LogTargetAnswerUnusable(string targetName, string targetId, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "A {Kind} flow was run for '{Name}', which the catalog does not know, so no execution can match it; check the spelling or register it in the catalog. Logged once per name; the counter actionexec.dispatch.unknown_names counts every call.")]
    private partial void LogUnknownName(string kind, string name);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "{Capacity} names missing from the catalog have been reported; later ones are no longer logged one by one (the counter actionexec.dispatch.unknown_names still counts every call).")]
    private partial void LogUnknownNamesFull(int capacity);

    /// <summary>The request and response flows: a call target's answer replaces the request, or the response when there is one.</summary>
    private struct MessageSteps(ActionDispatcher dispatcher, MatchedExecution match, FlowContext context, string fullMethod, FlowMessage request, FlowMessage? response) : IFlowSteps
    {
        private readonly FlowIds _flowIds = new();

        public readonly ValueTask<FlowStep> ResolveAsync(int position, CancellationToken cancellationToken) => new(FlowStep.Run(match.Targets[position]));

        public FlowMessage Request { get; private set; } = request;

        public FlowMessage? Response { get; private set; } = response;

        public readonly ReadOnlyMemory<byte> WritePayload() => Envelope(
            (FullMethod: fullMethod, Context: context, Request, Response, Allowed: dispatcher._options.HeaderAllowList),
            static (writer, state) =>
            {
                var context = state.Context;
                writer.WriteString("fullMethod"u8, state.FullMethod);
                writer.WriteString("instanceID"u8, context.TenantId);
                WriteOptional(writer, "orgID"u8, context.OrgId);
                WriteOptional(writer, "projectID"u8, context.ProjectId);
                WriteOptional(writer, "userID"u8, context.UserId);
                writer.WritePropertyName("request"u8);
                state.Request.WriteTo(writer);
                if (state.Response is { } r)
                {
                    writer.WritePropertyName("response"u8);
                    r.WriteTo(writer);
                }

                WriteHeaders(writer, context, state.Allowed);
            });

        public readonly ValueTask<AttemptOutcome> RunAsync(ResolvedTarget target, int position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            dispatcher.RunTargetAsync(target, position, _flowIds, payload, match.Condition, context.TenantId, cancellationToken);

        public string? Merge(ResolvedTarget target, ReadOnlyMemory<byte> answer)
        {
            string? unusable;
            if (Response is { } response)
            {
                Response = response.Replace(answer, out unusable);
            }
            else
            {
                Request = Request.Replace(answer, out unusable);
            }

            if (unusable is not null)
            {
                dispatcher.LogTargetAnswerUnusable(target.Name, target.Id, unusable);
            }

            return unusable;
        }

        public readonly void Interrupt(int position, TargetAttempt failed) => throw ToHostError(failed);
    }

    /// <summary>The function flow: a call target's answer, a JSON object, is shallow-merged into the result.</summary>
    private readonly struct FunctionSteps(ActionDispatcher dispatcher, MatchedExecution match, string tenantId, string functionId, JsonObject? hostContext, JsonObject result) : IFlowSteps
    {
        private readonly FlowIds _flowIds = new();

        public ValueTask<FlowStep> ResolveAsync(int position, CancellationToken cancellationToken) => new(FlowStep.Run(match.Targets[position]));

        public ReadOnlyMemory<byte> WritePayload() => Envelope((FunctionId: functionId, HostContext: hostContext, Result: result), static (writer, state) =>
        {
            writer.WriteString("function"u8, state.FunctionId);
            if (state.HostContext is not null)
            {
                foreach (var (name, value) in state.HostContext)
                {
                    if (name is not ("function" or "response"))
                    {
                        writer.WritePropertyName(name);
                        WriteNode(writer, value);
                    }
                }
            }

            writer.WritePropertyName("response"u8);
            state.Result.WriteTo(writer);
        });

        public ValueTask<AttemptOutcome> RunAsync(ResolvedTarget target, int position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            dispatcher.RunTargetAsync(target, position, _flowIds, payload, match.Condition, tenantId, cancellationToken);

        public string? Merge(ResolvedTarget target, ReadOnlyMemory<byte> answer)
        {
            if (JsonNode.Parse(answer.Span) is not JsonObject merged)
            {
                const string Reason = "its answer is not a JSON object";
                dispatcher.LogTargetAnswerUnusable(target.Name, target.Id, Reason);
                return Reason;
            }

            // A node has one parent: the answer gives up its properties before the result takes them.
            var properties = new KeyValuePair<string, JsonNode?>[merged.Count];
            ((ICollection<KeyValuePair<string, JsonNode?>>)merged).CopyTo(properties, 0);
            merged.Clear();
            foreach (var (name, value) in properties)
            {
                result[name] = value;
            }

            return null;
        }

        public void Interrupt(int position, TargetAttempt failed) => throw ToHostError(failed);
    }

    /// <summary>A thread's JSON writer and buffer for payloads.</summary>
    private sealed class PayloadScratch
    {
        public const int KeptBytes = 64 * 1024;

        public ArrayBufferWriter<byte> Buffer { get; } = new(1024);

        public Utf8JsonWriter Writer { get; } = new(Stream.Null, WriterOptions);
    }
}
