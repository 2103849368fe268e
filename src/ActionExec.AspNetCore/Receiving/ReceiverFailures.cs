using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>The codes, statuses and titles of <see cref="ReceiverFailure"/>, and the problem body that carries them.</summary>
internal static class ReceiverFailures
{
    public const string ProblemContentType = "application/problem+json; charset=utf-8";

    public static string Code(this ReceiverFailure failure) => failure switch
    {
        ReceiverFailure.BodyTooLarge => "body_too_large",
        ReceiverFailure.SignatureMissing => "signature_missing",
        ReceiverFailure.SignatureMalformed => "signature_malformed",
        ReceiverFailure.TimestampStale => "timestamp_stale",
        ReceiverFailure.TimestampFuture => "timestamp_future",
        ReceiverFailure.SignatureMismatch => "signature_mismatch",
        ReceiverFailure.Replayed => "replayed",
        ReceiverFailure.TokenInvalid => "token_invalid",
        ReceiverFailure.TokenUndecryptable => "token_undecryptable",
        _ => "payload_invalid",
    };

    public static int Status(this ReceiverFailure failure) => failure switch
    {
        ReceiverFailure.BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        ReceiverFailure.PayloadInvalid => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status401Unauthorized,
    };

    public static string Title(this ReceiverFailure failure) => failure switch
    {
        ReceiverFailure.BodyTooLarge => "The action delivery is too large.",
        ReceiverFailure.Replayed => "The action delivery was received before.",
        ReceiverFailure.PayloadInvalid => "The action delivery's payload is not valid.",
        ReceiverFailure.TokenInvalid => "The action delivery's token is not valid.",
        ReceiverFailure.TokenUndecryptable => "The action delivery's token cannot be decrypted.",
        ReceiverFailure.TimestampStale or ReceiverFailure.TimestampFuture => "The action delivery's timestamp is outside the tolerance.",
        _ => "The action delivery's signature is not valid.",
    };

    /// <summary>
    /// Answers with an RFC 9457 problem: <c>{"type", "title", "status", "detail", "failure"}</c>, where <c>failure</c> is the
    /// stable code. The detail says what failed, never which byte, and holds no key material.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, ReceiverFailure failure, string detail)
    {
        var response = context.Response;
        response.StatusCode = failure.Status();
        response.ContentType = ProblemContentType;
        var writer = new Utf8JsonWriter(response.BodyWriter);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "about:blank");
            writer.WriteString("title"u8, failure.Title());
            writer.WriteNumber("status"u8, failure.Status());
            writer.WriteString("detail"u8, detail);
            writer.WriteString("failure"u8, failure.Code());
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
