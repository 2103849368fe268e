using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ActionExec.Errors;

namespace ActionExec.Dispatch;

/// <summary>
/// The request and response flows of <see cref="IActionDispatcher"/> on the forms a host holds its messages in:
/// <see cref="JsonNode"/>, <see cref="JsonElement"/> and typed messages with their <see cref="JsonTypeInfo{T}"/>. Each is one
/// call of the core member with a <see cref="FlowMessage"/>, so a substitute of the interface sees every call.
/// </summary>
public static class ActionDispatcherExtensions
{
    /// <summary>Runs the request flow of a method on a <see cref="JsonNode"/>.</summary>
    /// <param name="dispatcher">The dispatcher.</param>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method, such as <c>/pkg.v1.Service/Method</c>.</param>
    /// <param name="request">The request message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The request the handler should see; the same instance when nothing replaced it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dispatcher"/>, <paramref name="context"/> or <paramref name="fullMethod"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fullMethod"/> is empty or not of the form <c>/pkg.v1.Service/Method</c>.</exception>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public static ValueTask<JsonNode?> RunRequestAsync(this IActionDispatcher dispatcher, FlowContext context, string fullMethod, JsonNode? request, CancellationToken cancellationToken = default) =>
        ToNode(NotNull(dispatcher).RunRequestAsync(context, fullMethod, FlowMessage.FromNode(request), cancellationToken));

    /// <summary>Runs the request flow of a method on a <see cref="JsonElement"/>.</summary>
    /// <param name="dispatcher">The dispatcher.</param>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The request the handler should see.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dispatcher"/>, <paramref name="context"/> or <paramref name="fullMethod"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fullMethod"/> is empty or not of the form <c>/pkg.v1.Service/Method</c>.</exception>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public static ValueTask<JsonElement> RunRequestAsync(this IActionDispatcher dispatcher, FlowContext context, string fullMethod, JsonElement request, CancellationToken cancellationToken = default) =>
        ToElement(NotNull(dispatcher).RunRequestAsync(context, fullMethod, FlowMessage.FromElement(request), cancellationToken), request);

    /// <summary>Runs the request flow of a method on a typed message; it is serialised only when a target needs it.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="dispatcher">The dispatcher.</param>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request message.</param>
    /// <param name="typeInfo">The message's JSON contract (from a source-generated context).</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The request the handler should see.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dispatcher"/>, <paramref name="context"/>, <paramref name="fullMethod"/> or <paramref name="typeInfo"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fullMethod"/> is empty or not of the form <c>/pkg.v1.Service/Method</c>.</exception>
    /// <exception cref="ActionExecException">An interrupting target failed, or a call target's answer does not fit <typeparamref name="T"/> (<see cref="ActionExecErrorCode.FailedPrecondition"/>).</exception>
    public static ValueTask<T?> RunRequestAsync<T>(this IActionDispatcher dispatcher, FlowContext context, string fullMethod, T request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        ToValue(NotNull(dispatcher).RunRequestAsync(context, fullMethod, FlowMessage.FromValue(request, typeInfo), cancellationToken), request, typeInfo, "request");

    /// <summary>Runs the response flow of a method on <see cref="JsonNode"/>s.</summary>
    /// <param name="dispatcher">The dispatcher.</param>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request the handler saw (sent along as <c>request</c>).</param>
    /// <param name="response">The response message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The response the client should see; the same instance when nothing replaced it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dispatcher"/>, <paramref name="context"/> or <paramref name="fullMethod"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fullMethod"/> is empty or not of the form <c>/pkg.v1.Service/Method</c>.</exception>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public static ValueTask<JsonNode?> RunResponseAsync(this IActionDispatcher dispatcher, FlowContext context, string fullMethod, JsonNode? request, JsonNode? response, CancellationToken cancellationToken = default) =>
        ToNode(NotNull(dispatcher).RunResponseAsync(context, fullMethod, FlowMessage.FromNode(request), FlowMessage.FromNode(response), cancellationToken));

    /// <summary>Runs the response flow of a method on <see cref="JsonElement"/>s.</summary>
    /// <param name="dispatcher">The dispatcher.</param>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request the handler saw.</param>
    /// <param name="response">The response message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The response the client should see.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dispatcher"/>, <paramref name="context"/> or <paramref name="fullMethod"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fullMethod"/> is empty or not of the form <c>/pkg.v1.Service/Method</c>.</exception>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public static ValueTask<JsonElement> RunResponseAsync(this IActionDispatcher dispatcher, FlowContext context, string fullMethod, JsonElement request, JsonElement response, CancellationToken cancellationToken = default) =>
        ToElement(NotNull(dispatcher).RunResponseAsync(context, fullMethod, FlowMessage.FromElement(request), FlowMessage.FromElement(response), cancellationToken), response);

    /// <summary>Runs the response flow of a method on typed messages; they are serialised only when a target needs them.</summary>
    /// <typeparam name="TRequest">The request type.</typeparam>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="dispatcher">The dispatcher.</param>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request the handler saw.</param>
    /// <param name="requestTypeInfo">The request's JSON contract.</param>
    /// <param name="response">The response message.</param>
    /// <param name="responseTypeInfo">The response's JSON contract.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The response the client should see.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dispatcher"/>, <paramref name="context"/>, <paramref name="fullMethod"/> or a type info is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fullMethod"/> is empty or not of the form <c>/pkg.v1.Service/Method</c>.</exception>
    /// <exception cref="ActionExecException">An interrupting target failed, or a call target's answer does not fit <typeparamref name="TResponse"/>.</exception>
    public static ValueTask<TResponse?> RunResponseAsync<TRequest, TResponse>(
        this IActionDispatcher dispatcher,
        FlowContext context,
        string fullMethod,
        TRequest request,
        JsonTypeInfo<TRequest> requestTypeInfo,
        TResponse response,
        JsonTypeInfo<TResponse> responseTypeInfo,
        CancellationToken cancellationToken = default) =>
        ToValue(
            NotNull(dispatcher).RunResponseAsync(context, fullMethod, FlowMessage.FromValue(request, requestTypeInfo), FlowMessage.FromValue(response, responseTypeInfo), cancellationToken),
            response,
            responseTypeInfo,
            "response");

    // A flow that completed at once (one that matched nothing, above all) is converted without entering an async method.
    private static ValueTask<JsonNode?> ToNode(ValueTask<FlowMessage> pending) =>
        pending.IsCompletedSuccessfully ? new(pending.Result.ToNode()) : AwaitNodeAsync(pending);

    private static ValueTask<JsonElement> ToElement(ValueTask<FlowMessage> pending, JsonElement original) =>
        pending.IsCompletedSuccessfully ? new(ElementOf(pending.Result, original)) : AwaitElementAsync(pending, original);

    private static ValueTask<T?> ToValue<T>(ValueTask<FlowMessage> pending, T original, JsonTypeInfo<T> typeInfo, string what) =>
        pending.IsCompletedSuccessfully ? new(ValueOf(pending.Result, original, typeInfo, what)) : AwaitValueAsync(pending, original, typeInfo, what);

    private static async ValueTask<JsonNode?> AwaitNodeAsync(ValueTask<FlowMessage> pending) =>
        (await pending.ConfigureAwait(false)).ToNode();

    private static async ValueTask<JsonElement> AwaitElementAsync(ValueTask<FlowMessage> pending, JsonElement original) =>
        ElementOf(await pending.ConfigureAwait(false), original);

    private static async ValueTask<T?> AwaitValueAsync<T>(ValueTask<FlowMessage> pending, T original, JsonTypeInfo<T> typeInfo, string what) =>
        ValueOf(await pending.ConfigureAwait(false), original, typeInfo, what);

    // A message nothing replaced reads back as the host's own instance. A result in another form (a substitute of the dispatcher
    // answering with a message of its own, in a host's unit test) is converted; only the default message of a substitute that
    // was not told what to answer stands for "unchanged".
    private static JsonElement ElementOf(FlowMessage result, JsonElement original) => IsUnanswered(result) ? original : result.ToElement();

    private static T? ValueOf<T>(FlowMessage result, T original, JsonTypeInfo<T> typeInfo, string what) =>
        IsUnanswered(result) ? original : result.ToValueOf(typeInfo, what);

    private static bool IsUnanswered(FlowMessage result) => result.IsNull && !result.IsReplaced;

    private static IActionDispatcher NotNull(IActionDispatcher dispatcher, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(dispatcher))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(dispatcher, name);
        return dispatcher;
    }
}
