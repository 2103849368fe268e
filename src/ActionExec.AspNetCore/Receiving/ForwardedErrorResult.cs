using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>The result of <see cref="ActionResults.Error"/>: 200 with the forwarded status and message.</summary>
internal sealed class ForwardedErrorResult(int forwardedStatusCode, string forwardedErrorMessage) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int ForwardedStatusCode { get; } = forwardedStatusCode;

    public string ForwardedErrorMessage { get; } = forwardedErrorMessage;

    public int? StatusCode => StatusCodes.Status200OK;

    public string? ContentType => HttpJson.ContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = HttpJson.ContentType;
        var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteNumber("forwardedStatusCode"u8, ForwardedStatusCode);
            writer.WriteString("forwardedErrorMessage"u8, ForwardedErrorMessage);
            writer.WriteEndObject();
            await writer.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
        }

        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }
}
