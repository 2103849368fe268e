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
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public static async ValueTask<JsonNode?> RunRequestAsync(this IActionDispatcher dispatcher, FlowContext context, string fullMethod, JsonNode? request, CancellationToken cancellationToken = default) =>
        (await NotNull(dispatcher).RunRequestAsync(context, fullMethod, FlowMessage.FromNode(request), cancellationToken).ConfigureAwait(false)).ToNode();

    /// <summary>Runs the request flow of a method on a <see cref="JsonElement"/>.</summary>
    /// <param name="dispatcher">The dispatcher.</param>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The request the handler should see.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dispatcher"/>, <paramref name="context"/> or <paramref name="fullMethod"/> is null.</exception>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public static async ValueTask<JsonElement> RunRequestAsync(this IActionDispatcher dispatcher, FlowContext context, string fullMethod, JsonElement request, CancellationToken cancellationToken = default)
    {
        var result = await NotNull(dispatcher).RunRequestAsync(context, fullMethod, FlowMessage.FromElement(request), cancellationToken).ConfigureAwait(false);
        return result.IsReplaced ? result.ToElement() : request;
    }

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
    /// <exception cref="ActionExecException">An interrupting target failed, or a call target's answer does not fit <typeparamref name="T"/> (<see cref="ActionExecErrorCode.FailedPrecondition"/>).</exception>
    public static async ValueTask<T?> RunRequestAsync<T>(this IActionDispatcher dispatcher, FlowContext context, string fullMethod, T request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        var result = await NotNull(dispatcher).RunRequestAsync(context, fullMethod, FlowMessage.FromValue(request, typeInfo), cancellationToken).ConfigureAwait(false);
        return result.IsReplaced ? result.ToValueOf(typeInfo, "request") : request;
    }

    /// <summary>Runs the response flow of a method on <see cref="JsonNode"/>s.</summary>
    /// <param name="dispatcher">The dispatcher.</param>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request the handler saw (sent along as <c>request</c>).</param>
    /// <param name="response">The response message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The response the client should see; the same instance when nothing replaced it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dispatcher"/>, <paramref name="context"/> or <paramref name="fullMethod"/> is null.</exception>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public static async ValueTask<JsonNode?> RunResponseAsync(this IActionDispatcher dispatcher, FlowContext context, string fullMethod, JsonNode? request, JsonNode? response, CancellationToken cancellationToken = default) =>
        (await NotNull(dispatcher).RunResponseAsync(context, fullMethod, FlowMessage.FromNode(request), FlowMessage.FromNode(response), cancellationToken).ConfigureAwait(false)).ToNode();

    /// <summary>Runs the response flow of a method on <see cref="JsonElement"/>s.</summary>
    /// <param name="dispatcher">The dispatcher.</param>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request the handler saw.</param>
    /// <param name="response">The response message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The response the client should see.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dispatcher"/>, <paramref name="context"/> or <paramref name="fullMethod"/> is null.</exception>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    public static async ValueTask<JsonElement> RunResponseAsync(this IActionDispatcher dispatcher, FlowContext context, string fullMethod, JsonElement request, JsonElement response, CancellationToken cancellationToken = default)
    {
        var result = await NotNull(dispatcher).RunResponseAsync(context, fullMethod, FlowMessage.FromElement(request), FlowMessage.FromElement(response), cancellationToken).ConfigureAwait(false);
        return result.IsReplaced ? result.ToElement() : response;
    }

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
    /// <exception cref="ActionExecException">An interrupting target failed, or a call target's answer does not fit <typeparamref name="TResponse"/>.</exception>
    public static async ValueTask<TResponse?> RunResponseAsync<TRequest, TResponse>(
        this IActionDispatcher dispatcher,
        FlowContext context,
        string fullMethod,
        TRequest request,
        JsonTypeInfo<TRequest> requestTypeInfo,
        TResponse response,
        JsonTypeInfo<TResponse> responseTypeInfo,
        CancellationToken cancellationToken = default)
    {
        var result = await NotNull(dispatcher).RunResponseAsync(
            context,
            fullMethod,
            FlowMessage.FromValue(request, requestTypeInfo),
            FlowMessage.FromValue(response, responseTypeInfo),
            cancellationToken).ConfigureAwait(false);
        return result.IsReplaced ? result.ToValueOf(responseTypeInfo, "response") : response;
    }

    private static IActionDispatcher NotNull(IActionDispatcher dispatcher, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(dispatcher))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(dispatcher, name);
        return dispatcher;
    }
}
