using System.Buffers.Text;
using System.Text.Json;
using ActionExec.AspNetCore.Receiving;
using ActionExec.Signatures;
using ActionExec.Targets;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.Benchmarks.Receiving;

/// <summary>
/// The receiving side: a ZITADEL-signed JSON delivery through a minimal API endpoint marked with <c>RequireActionSignature</c>
/// (body buffered, signature verified, replay cache, payload parsed, <see cref="ActionDelivery"/> bound), against the naive
/// endpoint that reads the body and calls Core's <see cref="WebhookSignatureVerifier"/> by hand (the baseline). Both endpoints
/// are built by a real <see cref="WebApplication"/> and run in-process through their <see cref="RequestDelegate"/> (no routing,
/// no socket). Every call signs a fresh body, so the replay cache accepts each delivery; <c>Prepare</c> is that signing and the
/// request alone, the part both endpoint rows share.
/// </summary>
[MemoryDiagnoser]
public class ActionReceiverBenchmarks
{
    private const string SigningKey = "bench-receiver-signing-key-0123456789";

    private static readonly byte[] PayloadStart =
        """{"fullMethod":"/zitadel.user.v2.UserService/AddHumanUser","instanceID":"69629023906488334","orgID":"69629023906488334","userID":"69629012906488334","request":{"username":"minnie","profile":{"givenName":"Minnie","familyName":"Mouse"},"email":{"email":"minnie@example.com","isVerified":true}},"n":"""u8.ToArray();

    private readonly string[] _keys = [SigningKey];
    private WebApplication _app = null!;
    private RequestDelegate _naive = null!;
    private RequestDelegate _signed = null!;
    private long _sequence;

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddActionReceiver(o =>
        {
            o.SigningKeys.Add(SigningKey);
            o.Schemes = AcceptedSignatureSchemes.Zitadel;
        });
        _app = builder.Build();

        var verifier = new WebhookSignatureVerifier(new WebhookVerificationOptions());
        _app.MapPost("/naive", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
            var body = buffer.ToArray();
            var headers = request.Headers;
            if (!verifier.TryVerify(SignatureScheme.Zitadel, name => headers[name].ToString(), body, _keys, out _))
            {
                return Results.Unauthorized();
            }

            using var payload = JsonDocument.Parse(body);
            return payload.RootElement.ValueKind == JsonValueKind.Object ? Results.NoContent() : Results.BadRequest();
        });
        _app.MapPost("/signed", (ActionDelivery delivery) =>
            delivery.Payload.ValueKind == JsonValueKind.Object ? Results.NoContent() : Results.BadRequest())
            .RequireActionSignature();

        var endpoints = ((IEndpointRouteBuilder)_app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
        _naive = endpoints.Single(e => string.Equals(e.RoutePattern.RawText, "/naive", StringComparison.Ordinal)).RequestDelegate!;
        _signed = endpoints.Single(e => string.Equals(e.RoutePattern.RawText, "/signed", StringComparison.Ordinal)).RequestDelegate!;

        // A benchmark that measures the wrong path is worse than none: both endpoints must accept a fresh delivery, and the
        // protected one must refuse the same delivery a second time.
        var replayed = Prepare();
        Check(_naive, Prepare(), StatusCodes.Status204NoContent);
        Check(_signed, replayed, StatusCodes.Status204NoContent);
        Check(_signed, Copy(replayed), StatusCodes.Status401Unauthorized);
        Check(_naive, Forged(), StatusCodes.Status401Unauthorized);
        Check(_signed, Forged(), StatusCodes.Status401Unauthorized);
    }

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Signing a fresh body and building the request: the share of both endpoint rows that is not the endpoint.</summary>
    [Benchmark]
    public HttpContext Prepare()
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var body = new byte[PayloadStart.Length + 21];
        PayloadStart.CopyTo(body, 0);
        Utf8Formatter.TryFormat(sequence, body.AsSpan(PayloadStart.Length), out var written);
        body[PayloadStart.Length + written] = (byte)'}';
        Array.Resize(ref body, PayloadStart.Length + written + 1);

        var signature = WebhookSigner.CreateHeaders(SignatureScheme.Zitadel, SigningKey, body, DateTimeOffset.UtcNow, "bench").First();
        var context = new DefaultHttpContext { RequestServices = _app.Services };
        var request = context.Request;
        request.Method = HttpMethods.Post;
        request.Path = "/hook";
        request.ContentType = "application/json";
        request.ContentLength = body.Length;
        request.Headers[signature.Key] = signature.Value;
        request.Body = new MemoryStream(body, writable: false);
        context.Response.Body = Stream.Null;
        return context;
    }

    /// <summary>The naive endpoint: reads the body and verifies the signature by hand; no replay check.</summary>
    [Benchmark(Baseline = true)]
    public Task Naive() => _naive(Prepare());

    /// <summary>The same endpoint with <c>RequireActionSignature</c>.</summary>
    [Benchmark]
    public Task RequireActionSignature() => _signed(Prepare());

    private static void Check(RequestDelegate endpoint, HttpContext context, int expected)
    {
        endpoint(context).GetAwaiter().GetResult();
        if (context.Response.StatusCode != expected)
        {
            throw new InvalidOperationException($"The endpoint answered {context.Response.StatusCode} instead of {expected}.");
        }
    }

    private HttpContext Copy(HttpContext sent)
    {
        var context = Prepare();
        context.Request.Headers[WebhookSigner.ZitadelSignatureHeader] = sent.Request.Headers[WebhookSigner.ZitadelSignatureHeader];
        context.Request.Body = new MemoryStream(((MemoryStream)sent.Request.Body).ToArray(), writable: false);
        return context;
    }

    private HttpContext Forged()
    {
        var context = Prepare();
        var forged = ((MemoryStream)context.Request.Body).ToArray();
        forged[^2] ^= 1;
        context.Request.Body = new MemoryStream(forged, writable: false);
        return context;
    }
}
