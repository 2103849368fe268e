using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ActionExec.AspNetCore;
using ActionExec.Catalog;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Grpc;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Metadata;

namespace ActionExec.Samples.WebApi.Demo;

/// <summary>
/// The host's own API that actions attach to, in the style of Connect's unary JSON protocol: <c>POST /&lt;service&gt;/&lt;method&gt;</c>
/// with the request message as the JSON body and the reply message as the JSON answer; and the same methods as a real gRPC
/// service (<c>Protos/demo/v1</c>), over HTTP/2 and gRPC-Web, whose handlers run the same code. No authentication is needed.
/// <list type="bullet">
/// <item><c>SayHello</c> and <c>SayGoodbye</c> greet; <c>SayHello</c> then publishes <c>demo.greeting.sent</c>.</item>
/// <item><c>IssueToken</c> runs the <c>preaccesstoken</c> function flow, answers with the claims it merged and publishes
/// <c>demo.token.issued</c>.</item>
/// </list>
/// Every JSON route carries its execution method, so the interception middleware runs its request flow before the handler (which
/// reads the request a call target may have rewritten) and its response flow after it; the gRPC interceptor does the same for the
/// gRPC calls, with the same full method. JSON failures are answered with the error body of the management API:
/// <c>{"code", "message", "details"}</c> and the status of the code; gRPC failures with the status of the code.
/// </summary>
internal sealed partial class DemoApi(IActionDispatcher dispatcher, IFlowContextFactory contexts, TimeProvider time, ILogger<DemoApi> logger)
{
    public const string SayHello = "/demo.v1.GreeterService/SayHello";

    public const string SayGoodbye = "/demo.v1.GreeterService/SayGoodbye";

    public const string IssueToken = "/demo.v1.TokenService/IssueToken";

    public const string GreetingSentEvent = "demo.greeting.sent";

    public const string TokenIssuedEvent = "demo.token.issued";

    public const string PreAccessTokenFunction = "preaccesstoken";

    public const string PreUserInfoFunction = "preuserinfo";

    private const string JsonContentType = "application/json; charset=utf-8";

    private const string GreetingExample = """{"name": "Ada"}""";

    private const string TokenExample = """{"userId": "u1"}""";

    /// <summary>A demo method after its request flow: the request as the handler got it, answered with the reply.</summary>
    public delegate Task<TReply> Handler<in TRequest, TReply>(TRequest? request, FlowContext context, CancellationToken cancellationToken);

    private static readonly AcceptsMetadata GrpcContentTypes = new(
    [
        "application/grpc",
        "application/grpc+proto",
        "application/grpc-web",
        "application/grpc-web+proto",
        "application/grpc-web-text",
        "application/grpc-web-text+proto",
    ]);

    private static DemoJsonContext Json => DemoJsonContext.Default;

    /// <summary>
    /// What exists in this host, and so what executions may name: the two events (and so the groups <c>demo.greeting</c>,
    /// <c>demo.token</c> and <c>demo</c>) and the two functions. Methods are restricted too, with none listed here: the three
    /// endpoints marked with <c>WithExecutionMethod</c> in <see cref="Map"/> join the catalog (and so their two services), so the
    /// markers are the one list of methods.
    /// </summary>
    public static void Describe(ActionCatalogBuilder catalog) => catalog
        .AddMethods()
        .AddEvents(GreetingSentEvent, TokenIssuedEvent)
        .AddFunctions(PreAccessTokenFunction, PreUserInfoFunction);

    /// <summary>
    /// Maps each method twice on the same path: the JSON route, marked with its execution method, and the gRPC method, whose
    /// full name is the same value (so one execution runs whichever way it is called). The request's content type tells them
    /// apart: the gRPC endpoints accept only the gRPC and gRPC-Web content types and are preferred for them; every other request,
    /// with any content type or none, reaches the JSON route as before.
    /// </summary>
    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SayHello, SayHelloAsync).WithExecutionMethod(SayHello);
        endpoints.MapPost(SayGoodbye, SayGoodbyeAsync).WithExecutionMethod(SayGoodbye);
        endpoints.MapPost(IssueToken, IssueTokenAsync).WithExecutionMethod(IssueToken);
        endpoints.MapGrpcService<GreeterGrpcService>().WithMetadata(GrpcContentTypes);
        endpoints.MapGrpcService<TokenGrpcService>().WithMetadata(GrpcContentTypes);
    }

    /// <summary>
    /// What the JSON route and the gRPC method of <c>SayHello</c> both run, after the request flow: greets the name as this handler
    /// got it (a call target may have rewritten it), and publishes the event with that name.
    /// </summary>
    public async Task<GreetingReply> HelloAsync(GreetingRequest? request, FlowContext context, CancellationToken cancellationToken)
    {
        var name = Required(request?.Name, "name", GreetingExample);
        await PublishAsync(context, GreetingSentEvent, "greeting", JsonSerializer.SerializeToUtf8Bytes(new GreetingSent(name), Json.GreetingSent), cancellationToken);
        return new GreetingReply("Hello, " + name);
    }

    /// <summary>What the JSON route and the gRPC method of <c>SayGoodbye</c> both run.</summary>
    public Task<GreetingReply> GoodbyeAsync(GreetingRequest? request, FlowContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new GreetingReply("Goodbye, " + Required(request?.Name, "name", GreetingExample)));

    /// <summary>What the JSON route and the gRPC method of <c>IssueToken</c> both run.</summary>
    public async Task<IssueTokenReply> IssueAsync(IssueTokenRequest? request, FlowContext context, CancellationToken cancellationToken)
    {
        var userId = Required(request?.UserId, "userId", TokenExample);

        // Each target gets {"function": "function/preaccesstoken", "userId": …, "response": <claims so far>} and answers with
        // claims to merge; an interrupting failure throws and is answered as an error, and no token is issued.
        var claims = await dispatcher.RunFunctionAsync(context, PreAccessTokenFunction, new JsonObject { ["userId"] = userId }, cancellationToken);
        await PublishAsync(context, TokenIssuedEvent, "token", JsonSerializer.SerializeToUtf8Bytes(new TokenIssued(userId), Json.TokenIssued), cancellationToken);
        return new IssueTokenReply(userId, claims);
    }

    /// <summary>
    /// Runs <paramref name="handle"/> for a gRPC call, with the same flow context the JSON routes get (tenant, user and headers
    /// from the call's <see cref="HttpContext"/>); an ActionExec error ends the call with its gRPC status.
    /// </summary>
    public async Task<TReply> CallAsync<TRequest, TReply>(TRequest request, ServerCallContext call, Handler<TRequest, TReply> handle)
        where TRequest : class
    {
        var cancellationToken = call.CancellationToken;
        try
        {
            var context = await contexts.CreateAsync(call.GetHttpContext(), cancellationToken);
            return await handle(request, context, cancellationToken);
        }
        catch (ActionExecException error)
        {
            throw error.ToRpcException();
        }
    }

    private Task SayHelloAsync(HttpContext http) => AnswerAsync(http, Json.GreetingRequest, GreetingExample, Json.GreetingReply, HelloAsync);

    private Task SayGoodbyeAsync(HttpContext http) => AnswerAsync(http, Json.GreetingRequest, GreetingExample, Json.GreetingReply, GoodbyeAsync);

    private Task IssueTokenAsync(HttpContext http) => AnswerAsync(http, Json.IssueTokenRequest, TokenExample, Json.IssueTokenReply, IssueAsync);

    private async Task AnswerAsync<TRequest, TReply>(
        HttpContext http,
        JsonTypeInfo<TRequest> requestType,
        string example,
        JsonTypeInfo<TReply> replyType,
        Handler<TRequest, TReply> handle)
        where TRequest : class
    {
        var aborted = http.RequestAborted;
        int status;
        byte[] answer;
        try
        {
            var request = await ReadAsync(http.Request, requestType, example, aborted);
            // The same context the interception middleware built for this request's flows: tenant, user, headers.
            var context = await contexts.CreateAsync(http, aborted);
            var reply = await handle(request, context, aborted);
            status = StatusCodes.Status200OK;
            answer = JsonSerializer.SerializeToUtf8Bytes(reply, replyType);
        }
        catch (Exception) when (aborted.IsCancellationRequested)
        {
            // The client went away: nobody is left to answer.
            return;
        }
        catch (ActionExecException error)
        {
            await ActionExecErrorWriter.WriteAsync(http, error);
            return;
        }
        catch (Exception exception)
        {
            LogUnexpected(exception, http.Request.Path.Value ?? "");
            await ActionExecErrorWriter.WriteAsync(http, new ActionExecException(
                ActionExecErrorCode.Internal,
                "The request failed because of an internal error; it was logged. Try again later, or report it to the operator of this service."));
            return;
        }

        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = JsonContentType;
        response.ContentLength = answer.Length;
        await response.Body.WriteAsync(answer, aborted);
    }

    /// <summary>Reads the request message; no body (or <c>null</c>) is an empty message, as in Connect.</summary>
    private static async Task<TRequest?> ReadAsync<TRequest>(HttpRequest request, JsonTypeInfo<TRequest> type, string example, CancellationToken cancellationToken)
        where TRequest : class
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (json.Span.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json.Span, type);
        }
        catch (JsonException exception)
        {
            var path = exception.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : "";
            var where = path.Length == 0 ? "" : $" at '{path}'";
            var violation = new FieldViolation(path, $"The request does not fit the message{where}; send a JSON object such as {example}.");
            throw new ActionExecException(ActionExecErrorCode.InvalidArgument, violation.Description, [violation], exception);
        }
    }

    /// <summary>Queues the event for the executions that match it; every greeting and every token is an aggregate of its own.</summary>
    private ValueTask PublishAsync(FlowContext context, string eventType, string aggregateType, byte[] payload, CancellationToken cancellationToken) =>
        dispatcher.PublishEventAsync(
            context,
            new ActionEvent
            {
                EventType = eventType,
                AggregateId = Guid.CreateVersion7().ToString("N"),
                AggregateType = aggregateType,
                ResourceOwner = context.TenantId,
                Version = "v1",
                Sequence = 1,
                CreatedAt = time.GetUtcNow(),
                UserId = context.UserId,
                Payload = payload,
            },
            cancellationToken);

    private static string Required(string? value, string field, string example) =>
        string.IsNullOrEmpty(value)
            ? throw ActionExecException.InvalidArgument(field, $"The {field} is missing or empty; send a request such as {example}.")
            : value;

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The demo method {Path} failed unexpectedly; the client was answered with error code 13.")]
    private partial void LogUnexpected(Exception exception, string path);
}
