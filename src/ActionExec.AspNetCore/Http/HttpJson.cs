using System.Buffers;
using System.Globalization;
using ActionExec.Errors;
using ActionExec.AspNetCore.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace ActionExec.AspNetCore;

/// <summary>
/// Reads JSON request bodies with a size limit and a content-type check, and writes JSON answers and the gRPC-gateway error body,
/// for the management API and the interception middleware alike.
/// </summary>
internal static class HttpJson
{
    public const string ContentType = "application/json; charset=utf-8";

    private const string JsonMediaType = "application/json";

    private const int ChunkBytes = 16 * 1024;

    /// <summary>
    /// Whether the request carries a body: a Content-Length above zero, or a body of unknown length (chunked). A request with
    /// neither, such as a plain GET, has none.
    /// </summary>
    public static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0
        || (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false);

    /// <summary>Whether a Content-Type is <c>application/json</c>, with any parameters (such as a charset).</summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the whole body of a request that has one. The content type must be JSON (else 415) and the body at most
    /// <paramref name="maxBytes"/> long (else 413, naming <paramref name="limitName"/>); both failures carry error code 3. A request
    /// without a body reads as empty.
    /// </summary>
    public static async ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, long maxBytes, string limitName, CancellationToken cancellationToken)
    {
        if (!HasBody(request))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (!IsJson(request.ContentType))
        {
            throw UnsupportedMediaType(request.ContentType);
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes, limitName);
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? ChunkBytes, maxBytes + 1));
        var body = request.Body;
        while (true)
        {
            var read = await body.ReadAsync(buffer.GetMemory(ChunkBytes), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw TooLarge(maxBytes, limitName);
            }
        }
    }

    /// <summary>
    /// The 413 error: code 3 with the status the transport needs. The message names ActionExec and the option that sets the limit
    /// (<paramref name="limitName"/>, with its configuration key where bound from configuration), so that the operator of a host
    /// whose clients meet it knows which limit it is and where to raise it.
    /// </summary>
    public static ActionExecException TooLarge(long maxBytes, string limitName) =>
        new(
            ActionExecErrorCode.InvalidArgument,
            string.Create(CultureInfo.InvariantCulture, $"The body is larger than {maxBytes} bytes, the limit ActionExec sets with {limitName}; send a body of at most {maxBytes} bytes."))
        {
            ForwardedHttpStatusCode = StatusCodes.Status413PayloadTooLarge,
        };

    /// <summary>Writes a 200 answer with a JSON body and its exact Content-Length.</summary>
    public static Task WriteAsync(HttpContext context, byte[] json) => WriteAsync(context, StatusCodes.Status200OK, json);

    /// <summary>Writes the gRPC-gateway error body with the exception's HTTP status.</summary>
    public static Task WriteErrorAsync(HttpContext context, ActionExecException error) =>
        WriteAsync(context, error.HttpStatusCode, ActionExecJson.WriteError(error));

    /// <summary>The answer to a failure nobody expected: code 13 with a message that gives nothing away.</summary>
    public static ActionExecException Internal() =>
        new(ActionExecErrorCode.Internal, "The request failed because of an internal error; it was logged. Try again later, or report it to the operator of this service.");

    private static async Task WriteAsync(HttpContext context, int status, byte[] json)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = json.Length;
        await response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private static ActionExecException UnsupportedMediaType(string? contentType) =>
        new(
            ActionExecErrorCode.InvalidArgument,
            string.IsNullOrEmpty(contentType)
                ? "The request has a body but no Content-Type; send the body as JSON with 'Content-Type: application/json'."
                : $"The Content-Type '{Shorten(contentType)}' is not supported; send the body as JSON with 'Content-Type: application/json'.")
        {
            ForwardedHttpStatusCode = StatusCodes.Status415UnsupportedMediaType,
        };

    /// <summary>Cuts a header value for a message: a client may send kilobytes of it.</summary>
    private static string Shorten(string value) => value.Length <= 100 ? value : string.Concat(value.AsSpan(0, 100), "…");
}
