using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Payloads;
using ActionExec.Signatures;
using ActionExec.Targets;
using Microsoft.Extensions.Options;

namespace ActionExec.Http;

/// <summary>
/// The built-in invoker of <c>http</c> and <c>https</c> targets: POSTs the exact payload bytes, signed with the
/// target's key, through the named client of <see cref="HttpTargetOptions.ClientName"/>, and returns the answer as it came,
/// whatever its status. Redirects are not followed; the body is read up to <see cref="DispatchOptions.MaxResponseBytes"/>.
/// </summary>
/// <remarks>
/// Sends <c>Content-Type: application/json; charset=utf-8</c> (<c>application/jwt</c> for JWT and JWE payloads), <c>User-Agent: ActionExec/&lt;version&gt;</c>, the signature
/// headers of the target's <see cref="SignatureScheme"/>, <c>webhook-id</c> (the delivery id, stable across retries, so a
/// receiver can drop duplicates) and, when an <see cref="System.Diagnostics.Activity"/> is current, the W3C trace context.
/// Never logs keys or bodies.
/// </remarks>
internal sealed class HttpTargetInvoker : ITargetInvoker
{
    private const string JsonContentType = "application/json; charset=utf-8";
    private const int InitialBodyBuffer = 16 * 1024;

    private static readonly string UserAgent = "ActionExec/" + (typeof(HttpTargetInvoker).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");

    // RFC 9110 §7.6.1 connection-specific fields, and what RFC 9112 and proxies add; they describe the hop, not the answer.
    private static readonly FrozenSet<string> HopByHopHeaders = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "Connection",
        "Keep-Alive",
        "TE",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade");

    private readonly IHttpClientFactory _clients;
    private readonly string _clientName;
    private readonly int _maxResponseBytes;
    private readonly TimeProvider _time;

    /// <summary>Creates the invoker.</summary>
    /// <param name="clients">The factory of the named client.</param>
    /// <param name="options">The client name and endpoint policy.</param>
    /// <param name="dispatchOptions">The response size limit.</param>
    /// <param name="time">The clock for signature timestamps and <c>Retry-After</c> dates.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public HttpTargetInvoker(
        IHttpClientFactory clients,
        IOptions<HttpTargetOptions> options,
        IOptions<DispatchOptions> dispatchOptions,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dispatchOptions);
        ArgumentNullException.ThrowIfNull(time);
        _clients = clients;
        _clientName = options.Value.ClientName;
        _maxResponseBytes = Math.Max(0, dispatchOptions.Value.MaxResponseBytes);
        _time = time;
    }

    /// <summary>POSTs the payload to the target's endpoint and returns its answer, whatever its status.</summary>
    /// <param name="request">The target, the exact payload bytes and the delivery id.</param>
    /// <param name="cancellationToken">Cancels the whole attempt, reading the body included (it carries the target's timeout).</param>
    /// <returns>
    /// The status, the headers without hop-by-hop ones, the body and <c>Retry-After</c>; a failure of kind
    /// <see cref="TargetFailureKind.Denied"/> when the endpoint policy denies the endpoint, and of kind
    /// <see cref="TargetFailureKind.ResponseTooLarge"/> when the answer is larger than the limit.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="HttpRequestException">The target could not be reached or broke the connection.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = CreateMessage(request);
        using var client = _clients.CreateClient(_clientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (FindDenial(e) is { } denial)
        {
            // The handler wraps what the connect callback throws; the denial itself is what the caller must see.
            return TargetResponse.Failed(TargetFailureKind.Denied, denial.Message);
        }

        using (response)
        {
            var (body, tooLarge) = await ReadBodyAsync(response.Content, cancellationToken).ConfigureAwait(false);
            if (tooLarge is not null)
            {
                return TargetResponse.Failed(TargetFailureKind.ResponseTooLarge, tooLarge);
            }

            return new TargetResponse((int)response.StatusCode, body, ReadHeaders(response))
            {
                RetryAfter = ReadRetryAfter(response.Headers.RetryAfter),
            };
        }
    }

    private HttpRequestMessage CreateMessage(TargetRequest request)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, request.Endpoint)
        {
            Content = new ReadOnlyMemoryContent(request.Payload),
        };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", request.Target.PayloadType == PayloadType.Json ? JsonContentType : PayloadEncoder.TokenContentType);
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);

        var scheme = request.Target.SignatureScheme;
        if (!string.IsNullOrEmpty(request.SigningKey))
        {
            foreach (var header in WebhookSigner.CreateHeaders(scheme, request.SigningKey, request.Payload.Span, _time.GetUtcNow(), request.DeliveryId))
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        if (!message.Headers.Contains(WebhookSigner.WebhookIdHeader))
        {
            message.Headers.TryAddWithoutValidation(WebhookSigner.WebhookIdHeader, request.DeliveryId);
        }

        return message;
    }

    /// <summary>
    /// Reads the body without ever holding more than the limit plus one byte, the byte that proves it too large; returns the body,
    /// or why it is too large.
    /// </summary>
    private async ValueTask<(ReadOnlyMemory<byte> Body, string? TooLarge)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var limit = _maxResponseBytes;
        var declared = content.Headers.ContentLength;
        if (declared > limit)
        {
            return (default, string.Create(CultureInfo.InvariantCulture, $"its answer of {declared} bytes exceeds the limit of {limit} bytes"));
        }

        var ceiling = (int)Math.Min((long)limit + 1, Array.MaxLength);
        var buffer = new byte[(int)Math.Min(declared + 1 ?? InitialBodyBuffer, ceiling)];
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, ceiling));
                }

                var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (total == 0 ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(0, total), null);
                }

                total += read;
                if (total > limit)
                {
                    return (default, string.Create(CultureInfo.InvariantCulture, $"its answer exceeds the limit of {limit} bytes"));
                }
            }
        }
    }

    private static ImmutableArray<KeyValuePair<string, string>> ReadHeaders(HttpResponseMessage response)
    {
        // Fields named in Connection are hop-by-hop too (RFC 9110 §7.6.1).
        var connection = response.Headers.NonValidated.TryGetValues("Connection", out var tokens) ? tokens : default;
        var headers = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        Add(response.Headers.NonValidated);
        Add(response.Content.Headers.NonValidated);
        return headers.DrainToImmutable();

        void Add(HttpHeadersNonValidated source)
        {
            foreach (var (name, values) in source)
            {
                if (IsHopByHop(name, connection))
                {
                    continue;
                }

                foreach (var value in values)
                {
                    headers.Add(new(name, value));
                }
            }
        }
    }

    private static bool IsHopByHop(string name, HeaderStringValues connection)
    {
        if (HopByHopHeaders.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var value in connection)
        {
            foreach (var token in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (string.Equals(token, name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private TimeSpan? ReadRetryAfter(RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static ActionExecException? FindDenial(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is ActionExecException { Code: ActionExecErrorCode.PermissionDenied } denial)
            {
                return denial;
            }
        }

        return null;
    }
}
