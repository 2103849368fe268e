using ActionExec.AspNetCore;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Grpc.Errors;
using ActionExec.Grpc.Management;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.Grpc;

/// <summary>
/// Runs the request flow before the handler of a unary call and the response flow after it, with the call's full method
/// (<c>/pkg.v1.Service/Method</c>) as the condition value, as ZITADEL's execution interceptor does. Messages go to targets as
/// proto-JSON and a call target's answer is read back into the message type; an interrupting failure ends the call with the
/// error's gRPC status and <c>google.rpc.Status</c> details, and a failure of the request flow keeps the handler from running.
/// Streaming calls, calls whose messages are not protobuf messages, and calls of the management services pass through untouched.
/// </summary>
/// <remarks>
/// A call no execution can apply to costs a tenant lookup and a snapshot lookup, and allocates nothing, when the flow context
/// comes from the default <see cref="IFlowContextFactory"/> and the dispatcher is the library's own: the tenant is all the
/// dispatcher needs to rule a method out. Otherwise the context is built first and the flows decide.
/// </remarks>
internal sealed partial class GrpcExecutionInterceptor : Interceptor
{
    private readonly IActionDispatcher _dispatcher;
    private readonly IFlowContextFactory _contexts;
    private readonly ActionDispatcher? _rulesOut;
    private readonly IActionTenantResolver? _tenants;
    private readonly ILogger _logger;

    public GrpcExecutionInterceptor(IServiceProvider services, ILogger<GrpcExecutionInterceptor> logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        _dispatcher = services.GetService<IActionDispatcher>()
            ?? throw new InvalidOperationException("The actions dispatcher is not registered; call services.AddActionExecutions().AddActionExecutionsApi() with AddGrpc(o => o.AddActionExecutions()).");
        _contexts = services.GetService<IFlowContextFactory>()
            ?? throw new InvalidOperationException("The flow context factory is not registered; call services.AddActionExecutions().AddActionExecutionsApi() with AddGrpc(o => o.AddActionExecutions()).");
        if (_dispatcher is ActionDispatcher own && _contexts is HttpFlowContextFactory)
        {
            _rulesOut = own;
            _tenants = services.GetService<IActionTenantResolver>();
        }

        _logger = logger;
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var fullMethod = context.Method;
        if (request is not IMessage || !ConditionRules.IsWellFormed(ConditionScope.Method, fullMethod) || IsManagement(context))
        {
            return continuation(request, context);
        }

        if (_tenants is not null)
        {
            var tenant = _tenants.ResolveTenantAsync(context.GetHttpContext(), context.CancellationToken);
            if (!tenant.IsCompleted)
            {
                return ResolveThenInterceptAsync(tenant, request, context, continuation);
            }

            if (tenant.IsCompletedSuccessfully && tenant.Result is { Length: > 0 } id && _rulesOut!.RulesOutMethod(id, fullMethod))
            {
                return continuation(request, context);
            }
        }

        return InterceptAsync(request, context, continuation);
    }

    /// <summary>
    /// Whether the call is one of the management services (<c>MapActionExecutionsGrpc</c>), which executions never run on: a broken
    /// interrupting target must never lock an administrator out of the API that removes it. An interceptor registered for all
    /// services sees their calls too.
    /// </summary>
    private static bool IsManagement(ServerCallContext context) => ManagementEndpointMetadata.Marks(context.GetHttpContext().GetEndpoint());

    private async Task<TResponse> ResolveThenInterceptAsync<TRequest, TResponse>(ValueTask<string?> tenant, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        string? id;
        try
        {
            id = await tenant.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The context factory asks the resolver again and answers its failure as every other failure of the request flow.
            id = null;
        }

        return id is { Length: > 0 } && _rulesOut!.RulesOutMethod(id, context.Method)
            ? await continuation(request, context).ConfigureAwait(false)
            : await InterceptAsync(request, context, continuation).ConfigureAwait(false);
    }

    private async Task<TResponse> InterceptAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        var fullMethod = context.Method;
        var cancellationToken = context.CancellationToken;
        FlowContext flowContext;
        FlowMessage seen;
        TRequest handled;
        try
        {
            flowContext = await _contexts.CreateAsync(context.GetHttpContext(), cancellationToken).ConfigureAwait(false);
            var message = (IMessage)request;
            seen = await _dispatcher.RunRequestAsync(flowContext, fullMethod, FlowMessage.FromMessage(message, ProtoJsonFormat.Of<TRequest>(message)), cancellationToken).ConfigureAwait(false);
            handled = MessageOf(seen, request);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Fail(exception, context, "request");
        }

        // The handler's own failures are the host's: they pass through as they are.
        var response = await continuation(handled, context).ConfigureAwait(false);
        if (response is not IMessage answer)
        {
            return response;
        }

        try
        {
            var result = await _dispatcher.RunResponseAsync(flowContext, fullMethod, seen, FlowMessage.FromMessage(answer, ProtoJsonFormat.Of<TResponse>(answer)), cancellationToken).ConfigureAwait(false);
            return MessageOf(result, response);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Fail(exception, context, "response");
        }
    }

    /// <summary>
    /// The message the flow ended with: the host's own instance when nothing replaced it, the one read from the last call target's
    /// answer otherwise. A dispatcher that answers with a message of another form (a substitute in a host's test) has it read as
    /// proto-JSON.
    /// </summary>
    private static T MessageOf<T>(FlowMessage result, T original)
        where T : class
    {
        if (!result.IsReplaced)
        {
            return original;
        }

        if (result.ToMessage() is T read)
        {
            return read;
        }

        if (ProtoJsonFormat.Of<T>((IMessage)original).TryRead(result.ToUtf8(), out var message, out var reason))
        {
            return (T)message;
        }

        throw new ActionExecException(ActionExecErrorCode.FailedPrecondition, $"A call target's answer cannot be used: {reason}.");
    }

    private RpcException Fail(Exception exception, ServerCallContext context, string flow)
    {
        var fullMethod = context.Method;
        if (context.CancellationToken.IsCancellationRequested)
        {
            LogCallEnded(fullMethod, flow, exception.GetType().Name);
            var code = context.Deadline <= DateTime.UtcNow ? StatusCode.DeadlineExceeded : StatusCode.Cancelled;
            return new RpcException(new Status(code, code == StatusCode.DeadlineExceeded
                ? $"The deadline of the call passed during the {flow} flow."
                : $"The call was cancelled during the {flow} flow."));
        }

        if (exception is ActionExecException known)
        {
            return GrpcErrors.ToRpcException(known);
        }

        LogUnexpected(exception, fullMethod, flow);
        return GrpcErrors.ToRpcException(HttpJson.Internal());
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Error, Message = "The {Flow} flow of the gRPC call {FullMethod} failed unexpectedly; the call ended with status Internal.")]
    private partial void LogUnexpected(Exception exception, string fullMethod, string flow);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Debug, Message = "The gRPC call {FullMethod} was cancelled or passed its deadline during the {Flow} flow ({ExceptionType}).")]
    private partial void LogCallEnded(string fullMethod, string flow, string exceptionType);
}
