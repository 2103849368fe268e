using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ActionExec.Signatures;
using ActionExec.Targets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>
/// One receiver's options, compiled: buffers a delivery's body, verifies its signature with Core's
/// <see cref="WebhookSignatureVerifier"/>, rejects replays through the <see cref="IActionReplayCache"/>, and runs the endpoint
/// with the <see cref="ActionDelivery"/> as a request feature and the payload as the body.
/// </summary>
internal sealed partial class ActionReceiver
{
    private const int ChunkBytes = 16 * 1024;

    private readonly string _name;
    private readonly ImmutableArray<string> _keys;
    private readonly AcceptedSignatureSchemes _schemes;
    private readonly TimeSpan _tolerance;
    private readonly long _maxBodyBytes;
    private readonly WebhookSignatureVerifier _verifier;
    private readonly IActionReplayCache _replays;
    private readonly ILogger _logger;
    private readonly PayloadType _payloadType;
    private readonly ReceiverTokens? _tokens;

    public ActionReceiver(string name, ActionReceiverOptions options, TimeProvider time, IActionReplayCache replays, IHttpClientFactory clients, ILogger logger)
    {
        _payloadType = options.PayloadType;
        if (_payloadType != PayloadType.Json)
        {
            var jwks = options.JwksUri is null ? null : new JwksSource(options.JwksUri, clients, time, logger);
            _tokens = new ReceiverTokens(options, jwks, time);
        }

        _name = name;
        _keys = [.. options.SigningKeys];
        _schemes = options.Schemes;
        _tolerance = options.Tolerance;
        _maxBodyBytes = options.MaxBodyBytes;
        _verifier = new WebhookSignatureVerifier(new WebhookVerificationOptions { Tolerance = options.Tolerance, TimeProvider = time });
        _replays = replays;
        _logger = logger;
    }

    /// <summary>Runs <paramref name="next"/> for a delivery that passes every check; answers the problem otherwise.</summary>
    public async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            await RejectAsync(
                context,
                ReceiverFailure.BodyTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"The body is larger than the receiver's limit of {_maxBodyBytes} bytes; raise ActionReceiverOptions.MaxBodyBytes if such deliveries are expected.")).ConfigureAwait(false);
            return;
        }

        var scheme = ChooseScheme(request.Headers);
        if (!TryReadSingleHeaders(request.Headers, scheme, out var duplicate))
        {
            await RejectAsync(context, ReceiverFailure.SignatureMalformed, $"The request has more than one {duplicate} header; a sender sends exactly one.").ConfigureAwait(false);
            return;
        }

        var headers = request.Headers;
        var separator = scheme == SignatureScheme.Zitadel ? "," : " ";
        if (!_verifier.TryVerify(scheme, name => Header(headers, name, separator), body, _keys.AsSpan(), out var seconds, out var kind, out var failure))
        {
            await RejectAsync(context, ToFailure(kind), failure).ConfigureAwait(false);
            return;
        }

        var json = body;
        if (_tokens is not null)
        {
            var outcome = await _tokens.ReadAsync(body, cancellationToken).ConfigureAwait(false);
            if (outcome.Failure is { } tokenFailure)
            {
                await RejectAsync(context, tokenFailure, outcome.Detail!).ConfigureAwait(false);
                return;
            }

            json = outcome.Payload!;
        }

        if (!TryParsePayload(json, out var payload))
        {
            await RejectAsync(context, ReceiverFailure.PayloadInvalid, "The body is signed correctly but its payload is not a JSON value; the receiver expects the JSON payload of an action.").ConfigureAwait(false);
            return;
        }

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var id = Header(headers, WebhookSigner.WebhookIdHeader, separator);
        var replayKeys = ReplayKeys(scheme, id, Header(headers, WebhookSigner.ZitadelSignatureHeader, separator));
        if (!await TryReserveAsync(replayKeys, timestamp + _tolerance, cancellationToken).ConfigureAwait(false))
        {
            await RejectAsync(context, ReceiverFailure.Replayed, "A delivery with the same id or signature was accepted before, within the tolerance; a replayed request is not run twice.").ConfigureAwait(false);
            return;
        }

        var delivery = new ActionDelivery(_name, id, timestamp, scheme, _payloadType, body, payload);
        LogAccepted(request.Path.Value ?? "", _name, id);
        var succeeded = false;
        var originalBody = request.Body;
        context.Features.Set(delivery);
        using var bodyStream = new MemoryStream(json, writable: false);
        request.Body = bodyStream;
        if (_tokens is not null)
        {
            // The handler reads (or binds) the payload, so it is announced as what it now is.
            request.ContentType = HttpJson.ContentType;
            request.ContentLength = json.Length;
        }

        try
        {
            await next(context).ConfigureAwait(false);
            succeeded = context.Response.StatusCode is >= 200 and < 300;
        }
        finally
        {
            request.Body = originalBody;
            if (!succeeded)
            {
                // The handler failed: the sender retries with the same id, and that retry must not be taken for a replay.
                foreach (var key in replayKeys)
                {
                    await _replays.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    private SignatureScheme ChooseScheme(IHeaderDictionary headers) => _schemes switch
    {
        AcceptedSignatureSchemes.Zitadel => SignatureScheme.Zitadel,
        AcceptedSignatureSchemes.StandardWebhooks => SignatureScheme.StandardWebhooks,
        _ => headers.ContainsKey(WebhookSigner.WebhookSignatureHeader) ? SignatureScheme.StandardWebhooks : SignatureScheme.Zitadel,
    };

    /// <summary>A repeated signature header is one header split over lines; an id or a timestamp must come once.</summary>
    private static bool TryReadSingleHeaders(IHeaderDictionary headers, SignatureScheme scheme, out string? duplicate)
    {
        duplicate = headers[WebhookSigner.WebhookIdHeader].Count > 1 ? WebhookSigner.WebhookIdHeader
            : scheme == SignatureScheme.StandardWebhooks && headers[WebhookSigner.WebhookTimestampHeader].Count > 1 ? WebhookSigner.WebhookTimestampHeader
            : null;
        return duplicate is null;
    }

    private static string? Header(IHeaderDictionary headers, string name, string separator)
    {
        var values = headers[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => string.Join(separator, (IEnumerable<string?>)values),
        };
    }

    private static ReceiverFailure ToFailure(WebhookVerificationFailure kind) => kind switch
    {
        WebhookVerificationFailure.MissingHeader => ReceiverFailure.SignatureMissing,
        WebhookVerificationFailure.MalformedHeader => ReceiverFailure.SignatureMalformed,
        WebhookVerificationFailure.Stale => ReceiverFailure.TimestampStale,
        WebhookVerificationFailure.Future => ReceiverFailure.TimestampFuture,
        _ => ReceiverFailure.SignatureMismatch,
    };

    /// <summary>
    /// What identifies a delivery: its <c>webhook-id</c> when it has one and, for the ZITADEL scheme (whose sender may send no
    /// id), its signature header, which holds the timestamp and the HMAC of the body. Hashed, so that a key has a fixed length
    /// whatever the sender sent, and prefixed with the receiver's name, so that receivers sharing a cache do not collide.
    /// </summary>
    private ImmutableArray<string> ReplayKeys(SignatureScheme scheme, string? id, string? zitadelSignature)
    {
        var keys = ImmutableArray.CreateBuilder<string>(2);
        if (!string.IsNullOrEmpty(id))
        {
            keys.Add(ReplayKey("id", id));
        }

        if (scheme == SignatureScheme.Zitadel && !string.IsNullOrEmpty(zitadelSignature))
        {
            keys.Add(ReplayKey("sig", zitadelSignature));
        }

        return keys.DrainToImmutable();
    }

    private string ReplayKey(string kind, string value)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
        return string.Concat("actionexec:", _name, ":", kind, ":", Convert.ToHexStringLower(hash));
    }

    private async ValueTask<bool> TryReserveAsync(ImmutableArray<string> keys, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (!await _replays.TryAddAsync(keys[i], expiresAt, cancellationToken).ConfigureAwait(false))
            {
                for (var j = 0; j < i; j++)
                {
                    await _replays.RemoveAsync(keys[j], CancellationToken.None).ConfigureAwait(false);
                }

                return false;
            }
        }

        return true;
    }

    private static bool TryParsePayload(byte[] body, out JsonElement payload)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            payload = JsonElement.ParseValue(ref reader);
            return !reader.Read();
        }
        catch (JsonException)
        {
            payload = default;
            return false;
        }
    }

    /// <summary>Reads the whole body, or returns null as soon as it proves larger than the limit.</summary>
    private async ValueTask<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length)
        {
            if (length > _maxBodyBytes)
            {
                return null;
            }

            // The declared length is the body's (the server holds the client to it): read into an array of that size, once.
            var exact = new byte[length];
            var filled = 0;
            while (filled < exact.Length)
            {
                var read = await request.Body.ReadAsync(exact.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return exact.AsSpan(0, filled).ToArray();
                }

                filled += read;
            }

            return exact;
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(ChunkBytes, _maxBodyBytes + 1));
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > _maxBodyBytes)
            {
                return null;
            }
        }
    }

    private Task RejectAsync(HttpContext context, ReceiverFailure failure, string detail)
    {
        LogRejected(context.Request.Path.Value ?? "", _name, failure.Code());
        LogRejectedDetail(_name, detail);
        return ReceiverFailures.WriteAsync(context, failure, detail);
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "An action delivery to {Path} was rejected by receiver '{Receiver}': {Failure}.")]
    private partial void LogRejected(string path, string receiver, string failure);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Debug, Message = "Receiver '{Receiver}' rejected the delivery because: {Detail}")]
    private partial void LogRejectedDetail(string receiver, string detail);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Debug, Message = "An action delivery to {Path} was accepted by receiver '{Receiver}' (webhook-id {DeliveryId}).")]
    private partial void LogAccepted(string path, string receiver, string? deliveryId);
}
