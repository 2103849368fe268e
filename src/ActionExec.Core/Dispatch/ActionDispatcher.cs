using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Diagnostics;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActionExec.Dispatch;

/// <summary>
/// The API a host calls at its four points (spec §6): where a request arrives (<see cref="RunRequestAsync(FlowContext, string, JsonNode?, CancellationToken)"/>),
/// a response leaves (<see cref="RunResponseAsync(FlowContext, string, JsonNode?, JsonNode?, CancellationToken)"/>), a function runs
/// (<see cref="RunFunctionAsync"/>) and an event is written (<see cref="PublishEventAsync"/>). Each finds the execution that
/// applies and runs its flattened targets in order: webhooks are awaited, calls are awaited and replace the message, async
/// targets are queued. An interrupting failure surfaces as an <see cref="ActionExecException"/>.
/// </summary>
public sealed partial class ActionDispatcher
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = false };

    private readonly ActionEngine _engine;
    private readonly TargetCaller _caller;
    private readonly IDeliveryQueue _queue;
    private readonly DispatchOptions _options;
    private readonly TimeProvider _time;
    private readonly ActionExecTelemetry _telemetry;
    private readonly ILogger _logger;

    /// <summary>Creates the dispatcher.</summary>
    /// <param name="engine">The engine that owns the tenants' snapshots.</param>
    /// <param name="caller">Calls targets and classifies their answers.</param>
    /// <param name="queue">The background delivery queue.</param>
    /// <param name="options">The dispatch options.</param>
    /// <param name="time">The clock for delivery dates.</param>
    /// <param name="telemetry">The activity source and meter.</param>
    /// <param name="logger">The logger.</param>
    public ActionDispatcher(
        ActionEngine engine,
        TargetCaller caller,
        IDeliveryQueue queue,
        IOptions<DispatchOptions> options,
        TimeProvider time,
        ActionExecTelemetry telemetry,
        ILogger<ActionDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(logger);
        _engine = engine;
        _caller = caller;
        _queue = queue;
        _options = options.Value;
        _time = time;
        _telemetry = telemetry;
        _logger = logger;
    }

    /// <summary>Runs the request flow of a method and returns the request the handler should see.</summary>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method, such as <c>/pkg.v1.Service/Method</c>.</param>
    /// <param name="request">The request message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The request, replaced by each call target in turn; the same instance when nothing replaced it.</returns>
    /// <exception cref="ActionExecException">An interrupting target failed: <see cref="ActionExecErrorCode.DeadlineExceeded"/> for a timeout, the forwarded status for a forwarded 4xx, otherwise <see cref="ActionExecErrorCode.FailedPrecondition"/>.</exception>
    public async ValueTask<JsonNode?> RunRequestAsync(FlowContext context, string fullMethod, JsonNode? request, CancellationToken cancellationToken = default)
    {
        var match = await MatchAsync(context, ConditionKind.Request, fullMethod, cancellationToken).ConfigureAwait(false);
        if (match is null)
        {
            return request;
        }

        var result = await RunMessageFlowAsync(match, context, fullMethod, FlowMessage.From(request), null, cancellationToken).ConfigureAwait(false);
        return result.Changed ? JsonNode.Parse(result.Message.Span) : request;
    }

    /// <summary>Runs the request flow of a method on a <see cref="JsonElement"/>.</summary>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The request the handler should see.</returns>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public async ValueTask<JsonElement> RunRequestAsync(FlowContext context, string fullMethod, JsonElement request, CancellationToken cancellationToken = default)
    {
        var match = await MatchAsync(context, ConditionKind.Request, fullMethod, cancellationToken).ConfigureAwait(false);
        if (match is null)
        {
            return request;
        }

        var result = await RunMessageFlowAsync(match, context, fullMethod, FlowMessage.From(request), null, cancellationToken).ConfigureAwait(false);
        return result.Changed ? ToElement(result.Message) : request;
    }

    /// <summary>Runs the request flow of a method on a typed message.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request message.</param>
    /// <param name="typeInfo">The message's JSON contract (from a source-generated context).</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The request the handler should see.</returns>
    /// <exception cref="ActionExecException">An interrupting target failed, or a call target's answer does not fit <typeparamref name="T"/> (<see cref="ActionExecErrorCode.FailedPrecondition"/>).</exception>
    public async ValueTask<T?> RunRequestAsync<T>(FlowContext context, string fullMethod, T request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var match = await MatchAsync(context, ConditionKind.Request, fullMethod, cancellationToken).ConfigureAwait(false);
        if (match is null)
        {
            return request;
        }

        var result = await RunMessageFlowAsync(match, context, fullMethod, FlowMessage.FromBytes(JsonSerializer.SerializeToUtf8Bytes(request, typeInfo)), null, cancellationToken).ConfigureAwait(false);
        return result.Changed ? FromBytes(result.Message, typeInfo, "request") : request;
    }

    /// <summary>Runs the response flow of a method and returns the response the client should see.</summary>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request the handler saw (sent along as <c>request</c>).</param>
    /// <param name="response">The response message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The response, replaced by each call target in turn; the same instance when nothing replaced it.</returns>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public async ValueTask<JsonNode?> RunResponseAsync(FlowContext context, string fullMethod, JsonNode? request, JsonNode? response, CancellationToken cancellationToken = default)
    {
        var match = await MatchAsync(context, ConditionKind.Response, fullMethod, cancellationToken).ConfigureAwait(false);
        if (match is null)
        {
            return response;
        }

        var result = await RunMessageFlowAsync(match, context, fullMethod, FlowMessage.From(request), FlowMessage.From(response), cancellationToken).ConfigureAwait(false);
        return result.Changed ? JsonNode.Parse(result.Message.Span) : response;
    }

    /// <summary>Runs the response flow of a method on <see cref="JsonElement"/>s.</summary>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request the handler saw.</param>
    /// <param name="response">The response message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The response the client should see.</returns>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public async ValueTask<JsonElement> RunResponseAsync(FlowContext context, string fullMethod, JsonElement request, JsonElement response, CancellationToken cancellationToken = default)
    {
        var match = await MatchAsync(context, ConditionKind.Response, fullMethod, cancellationToken).ConfigureAwait(false);
        if (match is null)
        {
            return response;
        }

        var result = await RunMessageFlowAsync(match, context, fullMethod, FlowMessage.From(request), FlowMessage.From(response), cancellationToken).ConfigureAwait(false);
        return result.Changed ? ToElement(result.Message) : response;
    }

    /// <summary>Runs the response flow of a method on typed messages.</summary>
    /// <typeparam name="TRequest">The request type.</typeparam>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request the handler saw.</param>
    /// <param name="requestTypeInfo">The request's JSON contract.</param>
    /// <param name="response">The response message.</param>
    /// <param name="responseTypeInfo">The response's JSON contract.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The response the client should see.</returns>
    /// <exception cref="ActionExecException">An interrupting target failed, or a call target's answer does not fit <typeparamref name="TResponse"/>.</exception>
    public async ValueTask<TResponse?> RunResponseAsync<TRequest, TResponse>(
        FlowContext context,
        string fullMethod,
        TRequest request,
        JsonTypeInfo<TRequest> requestTypeInfo,
        TResponse response,
        JsonTypeInfo<TResponse> responseTypeInfo,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestTypeInfo);
        ArgumentNullException.ThrowIfNull(responseTypeInfo);
        var match = await MatchAsync(context, ConditionKind.Response, fullMethod, cancellationToken).ConfigureAwait(false);
        if (match is null)
        {
            return response;
        }

        var result = await RunMessageFlowAsync(
            match,
            context,
            fullMethod,
            FlowMessage.FromBytes(JsonSerializer.SerializeToUtf8Bytes(request, requestTypeInfo)),
            FlowMessage.FromBytes(JsonSerializer.SerializeToUtf8Bytes(response, responseTypeInfo)),
            cancellationToken).ConfigureAwait(false);
        return result.Changed ? FromBytes(result.Message, responseTypeInfo, "response") : response;
    }

    /// <summary>
    /// Runs a function flow: each call target receives <c>{"function": "function/&lt;name&gt;", …hostContext, "response": …}</c>
    /// and answers with a JSON object that is shallow-merged into the result (later targets overwrite top-level properties).
    /// </summary>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="function">The function name, such as <c>preaccesstoken</c>.</param>
    /// <param name="hostContext">Properties sent to every target at the top level of the payload; optional.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The merged result; an empty object when no execution applies.</returns>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public async ValueTask<JsonObject> RunFunctionAsync(FlowContext context, string function, JsonObject? hostContext = null, CancellationToken cancellationToken = default)
    {
        var result = new JsonObject();
        var match = await MatchAsync(context, ConditionKind.Function, function, cancellationToken).ConfigureAwait(false);
        if (match is null)
        {
            return result;
        }

        using var activity = StartFlow("function", match, function);
        var functionId = "function/" + function;
        var flowIds = new FlowIds();
        var targets = match.Targets;
        for (var position = 0; position < targets.Length; position++)
        {
            var target = targets[position];
            var payload = Envelope((FunctionId: functionId, HostContext: hostContext, Result: result), static (writer, state) =>
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

            var answer = await RunTargetAsync(target, position, flowIds, payload, match.Condition, context.TenantId, cancellationToken).ConfigureAwait(false);
            if (answer.IsEmpty)
            {
                continue;
            }

            if (JsonNode.Parse(answer.Span) is not JsonObject merged)
            {
                Fail(target, TargetFailureKind.NotJson, "its answer is not a JSON object");
                continue;
            }

            // A node has one parent: the answer gives up its properties before the result takes them.
            var properties = new KeyValuePair<string, JsonNode?>[merged.Count];
            ((ICollection<KeyValuePair<string, JsonNode?>>)merged).CopyTo(properties, 0);
            merged.Clear();
            foreach (var (name, value) in properties)
            {
                result[name] = value;
            }
        }

        return result;
    }

    /// <summary>
    /// Publishes a domain event: when an execution applies, one background delivery is queued that calls its targets in
    /// order with ZITADEL's event payload. Returns once the delivery is queued; targets never change or stop the host's write.
    /// </summary>
    /// <param name="context">The tenant (sent as <c>instanceID</c>).</param>
    /// <param name="actionEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the wait for a place in the queue.</param>
    /// <returns>A task that completes when the delivery is queued (or no execution applies).</returns>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the delivery queue stays full.</exception>
    public async ValueTask PublishEventAsync(FlowContext context, ActionEvent actionEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actionEvent);
        var match = await MatchAsync(context, ConditionKind.Event, actionEvent.EventType, cancellationToken).ConfigureAwait(false);
        if (match is null)
        {
            return;
        }

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

        await _queue.EnqueueAsync(
            new BackgroundDelivery
            {
                Id = NewId(),
                TenantId = context.TenantId,
                Source = "event/" + actionEvent.EventType,
                TargetIds = targetIds.MoveToImmutable(),
                Payload = payload,
                CreatedAt = _time.GetUtcNow(),
            },
            cancellationToken).ConfigureAwait(false);
        LogEventQueued(actionEvent.EventType, match.Condition.Id, match.Targets.Length);
    }

    /// <summary>Maps a failed attempt of an interrupting target to the error the host sees (spec §6).</summary>
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

    private async ValueTask<(ReadOnlyMemory<byte> Message, bool Changed)> RunMessageFlowAsync(
        MatchedExecution match,
        FlowContext context,
        string fullMethod,
        FlowMessage request,
        FlowMessage? response,
        CancellationToken cancellationToken)
    {
        using var activity = StartFlow(response is null ? "request" : "response", match, fullMethod);
        var flowIds = new FlowIds();
        var changed = false;
        ReadOnlyMemory<byte> message = default;
        ReadOnlyMemory<byte> payload = default;
        var targets = match.Targets;
        for (var position = 0; position < targets.Length; position++)
        {
            if (payload.IsEmpty)
            {
                payload = Envelope(
                    (FullMethod: fullMethod, Context: context, Request: request, Response: response, Allowed: _options.HeaderAllowList),
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
            }

            var answer = await RunTargetAsync(targets[position], position, flowIds, payload, match.Condition, context.TenantId, cancellationToken).ConfigureAwait(false);
            if (answer.IsEmpty)
            {
                continue;
            }

            // A call target's answer replaces the message; the next target gets a payload built around it.
            if (response is null)
            {
                request = FlowMessage.FromBytes(answer);
            }
            else
            {
                response = FlowMessage.FromBytes(answer);
            }

            message = answer;
            changed = true;
            payload = default;
        }

        return (message, changed);
    }

    /// <summary>Runs one target of a synchronous flow; returns a call target's answer, or empty when there is none to use.</summary>
    private async ValueTask<ReadOnlyMemory<byte>> RunTargetAsync(
        ResolvedTarget target,
        int position,
        FlowIds flowIds,
        ReadOnlyMemory<byte> payload,
        Condition condition,
        string tenantId,
        CancellationToken cancellationToken)
    {
        if (target.Definition.Type == TargetType.Async)
        {
            await _queue.EnqueueAsync(
                new BackgroundDelivery
                {
                    Id = NewId(),
                    TenantId = tenantId,
                    Source = condition.Id,
                    TargetIds = [target.Id],
                    Payload = payload,
                    CreatedAt = _time.GetUtcNow(),
                },
                cancellationToken).ConfigureAwait(false);
            return default;
        }

        // Each target gets its own message (a call target may have rewritten it), so each gets its own webhook-id: a receiver
        // that drops duplicates by id must not drop the second target's message because the first had the same id.
        var outcome = await _caller.CallInFlowAsync(target, payload, flowIds, position, cancellationToken).ConfigureAwait(false);
        if (outcome.Failed is { } failed)
        {
            if (target.Definition.InterruptOnError)
            {
                throw ToHostError(failed);
            }

            return default;
        }

        return target.Definition.Type == TargetType.Call ? outcome.Body : default;
    }

    private void Fail(ResolvedTarget target, TargetFailureKind kind, string reason)
    {
        var attempt = new TargetAttempt(target, kind, 200, reason, default, TimeSpan.Zero);
        LogTargetAnswerUnusable(target.Name, target.Id, reason);
        if (target.Definition.InterruptOnError)
        {
            throw ToHostError(attempt);
        }
    }

    private async ValueTask<MatchedExecution?> MatchAsync(FlowContext context, ConditionKind kind, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(value);
        var snapshot = _engine.TryGetSnapshot(context.TenantId, out var loaded)
            ? loaded
            : await _engine.GetSnapshotAsync(context.TenantId, cancellationToken).ConfigureAwait(false);
        var match = snapshot.Match(kind, value);
        return match is null || match.Targets.IsEmpty ? null : match;
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

    /// <summary>Writes a payload object; the properties come from a static writer and its state, so no closure is allocated.</summary>
    private static ReadOnlyMemory<byte> Envelope<TState>(TState state, Action<Utf8JsonWriter, TState> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeProperties(writer, state);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
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

    private static JsonElement ToElement(ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span);
        return JsonElement.ParseValue(ref reader);
    }

    private static T? FromBytes<T>(ReadOnlyMemory<byte> json, JsonTypeInfo<T> typeInfo, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json.Span, typeInfo);
        }
        catch (JsonException e)
        {
            throw new ActionExecException(
                ActionExecErrorCode.FailedPrecondition,
                $"A call target answered with a {what} that does not fit {typeof(T).Name}: {e.Message}",
                [],
                e);
        }
    }

    private static string NewId() => Guid.CreateVersion7().ToString("N");

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Queued event {EventType} for execution {ExecutionId} with {TargetCount} targets.")]
    private partial void LogEventQueued(string eventType, string executionId, int targetCount);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Target {TargetName} ({TargetId}) answered, but its answer cannot be used: {Reason}.")]
    private partial void LogTargetAnswerUnusable(string targetName, string targetId, string reason);
}
