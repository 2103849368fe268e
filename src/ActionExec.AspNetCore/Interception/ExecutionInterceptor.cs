using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.AspNetCore.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ActionExec.AspNetCore;

/// <summary>
/// Runs the request and response flows around endpoints that carry <see cref="ExecutionMethodAttribute"/>: the JSON
/// request body goes through the request flow and the handler reads what came out; the handler's answer is buffered, a 2xx JSON
/// answer goes through the response flow, and what came out is written with its exact Content-Length. An interrupting failure is
/// answered with the gRPC-gateway error body and its status; when the request flow fails, the handler does not run.
/// Endpoints without the metadata pass through untouched.
/// </summary>
internal sealed partial class ExecutionInterceptor
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly IActionDispatcher _dispatcher;
    private readonly IFlowContextFactory _contexts;
    private readonly IOptionsMonitor<ActionExecutionsApiOptions> _options;
    private readonly string _limitName;
    private readonly ILogger _logger;

    public ExecutionInterceptor(
        IActionDispatcher dispatcher,
        IFlowContextFactory contexts,
        IOptionsMonitor<ActionExecutionsApiOptions> options,
        ILogger<ExecutionInterceptor> logger,
        ApiConfigurationSection? section = null)
    {
        _dispatcher = dispatcher;
        _contexts = contexts;
        _options = options;
        _limitName = ApiConfigurationSection.Name(section, nameof(ActionExecutionsApiOptions.MaxRequestBodyBytes));
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context, RequestDelegate next) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ExecutionMethodAttribute>() is { } method
            ? InterceptAsync(context, next, method.FullMethod)
            : next(context);

    private async Task InterceptAsync(HttpContext context, RequestDelegate next, string fullMethod)
    {
        var aborted = context.RequestAborted;
        var request = context.Request;

        FlowContext actionContext;
        JsonNode? message;
        ReadOnlyMemory<byte>? body;
        try
        {
            actionContext = await _contexts.CreateAsync(context, aborted).ConfigureAwait(false);
            var read = await HttpJson.ReadBodyAsync(request, _options.CurrentValue.MaxRequestBodyBytes, _limitName, aborted).ConfigureAwait(false);

            // Spelled out: "read.IsEmpty ? null : read" would turn null into an empty memory through the array conversion.
            body = null;
            if (!read.IsEmpty)
            {
                body = read;
            }

            var original = body is { } given ? Parse(given) : null;
            message = await _dispatcher.RunRequestAsync(actionContext, fullMethod, original, aborted).ConfigureAwait(false);
            if (!ReferenceEquals(message, original))
            {
                body = ToBytes(message);
                request.ContentType = HttpJson.ContentType;
            }
        }
        catch (Exception exception)
        {
            await FailAsync(context, exception, fullMethod, "request").ConfigureAwait(false);
            return;
        }

        var requestBody = request.Body;
        if (body is { } bytes)
        {
            request.Body = MemoryMarshal.TryGetArray(bytes, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(bytes.ToArray(), writable: false);
            request.ContentLength = bytes.Length;
        }

        var responseFeature = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        var bufferFeature = new StreamResponseBodyFeature(buffer, responseFeature);
        context.Features.Set<IHttpResponseBodyFeature>(bufferFeature);
        try
        {
            await next(context).ConfigureAwait(false);
            await bufferFeature.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            context.Features.Set(responseFeature);
            request.Body = requestBody;
        }

        var response = context.Response;
        var answer = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (RunsResponseFlow(response, answer))
        {
            try
            {
                var original = ParseAnswer(answer);
                if (original is not null)
                {
                    var replaced = await _dispatcher.RunResponseAsync(actionContext, fullMethod, message, original, aborted).ConfigureAwait(false);
                    if (!ReferenceEquals(replaced, original))
                    {
                        answer = ToBytes(replaced);
                        response.ContentType = HttpJson.ContentType;
                    }
                }
            }
            catch (Exception exception)
            {
                await FailAsync(context, exception, fullMethod, "response").ConfigureAwait(false);
                return;
            }
        }

        if (!answer.IsEmpty)
        {
            response.Headers.Remove(HeaderNames.TransferEncoding);
            response.ContentLength = answer.Length;
            await response.Body.WriteAsync(answer, aborted).ConfigureAwait(false);
        }
    }

    /// <summary>Only a successful JSON answer with a body is a response message; anything else is passed on as it is.</summary>
    private static bool RunsResponseFlow(HttpResponse response, ReadOnlyMemory<byte> answer) =>
        response.StatusCode is >= 200 and < 300 && !answer.IsEmpty && HttpJson.IsJson(response.ContentType);

    /// <summary>Parses the request body; a body that is not JSON is the client's error.</summary>
    private static JsonNode? Parse(ReadOnlyMemory<byte> body)
    {
        var json = body.Span;
        if (json.StartsWith(Utf8Bom))
        {
            json = json[Utf8Bom.Length..];
        }

        if (json.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            throw ActionExecException.InvalidArgument("", "The body is empty; send a JSON value or no body at all.");
        }

        // The parser leaves string contents unchecked until they are read; a target must never get broken UTF-8.
        if (!Utf8.IsValid(json))
        {
            throw ActionExecException.InvalidArgument("", "The body is not valid UTF-8; send JSON encoded as UTF-8.");
        }

        // The parser leaves a lone surrogate escape unread too, and the flow could not write it into a target's payload.
        ActionExecJson.ThrowIfLoneSurrogate(body.Span);

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException exception)
        {
            var violation = new FieldViolation("", $"The body is not valid JSON at line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}; send a complete JSON value.");
            throw new ActionExecException(ActionExecErrorCode.InvalidArgument, violation.Description, [violation], exception);
        }
    }

    /// <summary>Parses the handler's answer; one that only claims to be JSON is passed on unchanged rather than failed.</summary>
    private JsonNode? ParseAnswer(ReadOnlyMemory<byte> answer)
    {
        try
        {
            return Utf8.IsValid(answer.Span) ? JsonNode.Parse(answer.Span) : null;
        }
        catch (JsonException)
        {
            LogAnswerNotJson();
            return null;
        }
    }

    private static ReadOnlyMemory<byte> ToBytes(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
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

        return buffer.WrittenMemory;
    }

    private async Task FailAsync(HttpContext context, Exception exception, string fullMethod, string flow)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            LogAborted(fullMethod, flow, exception.GetType().Name);
            return;
        }

        ActionExecException error;
        if (exception is ActionExecException known)
        {
            error = known;
        }
        else if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            error = HttpJson.TooLarge(_options.CurrentValue.MaxRequestBodyBytes, _limitName);
        }
        else if (exception is BadHttpRequestException bad)
        {
            error = new ActionExecException(ActionExecErrorCode.InvalidArgument, $"The request body could not be read: {bad.Message} Send a complete JSON body.");
        }
        else
        {
            LogUnexpected(exception, fullMethod, flow);
            error = HttpJson.Internal();
        }

        if (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await HttpJson.WriteErrorAsync(context, error).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "The {Flow} flow of {FullMethod} failed unexpectedly; the client was answered with error code 13.")]
    private partial void LogUnexpected(Exception exception, string fullMethod, string flow);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "The client of {FullMethod} went away during the {Flow} flow ({ExceptionType}).")]
    private partial void LogAborted(string fullMethod, string flow, string exceptionType);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "An endpoint answered with a JSON content type but a body that is not JSON; the response flow was skipped.")]
    private partial void LogAnswerNotJson();
}
