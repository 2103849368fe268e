using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Sdk;

namespace ActionExec.Tests.Support;

/// <summary>
/// A misbehaving HTTP target: Kestrel on a loopback address and a free port, one route per fault. The first path segment picks
/// the fault and the rest is free, so that tests sharing one server can tell their requests apart (<c>/hang/case-7</c>). Every
/// request is recorded on arrival, before the fault plays out. <c>/302/…</c> redirects to <c>/landing/…</c> on
/// <see cref="Landing"/>, a second server on another port that records whether anything reached it.
/// </summary>
public sealed class FaultServer : IAsyncDisposable
{
    /// <summary>Answers 200 with <c>{"ok":true}</c> at once.</summary>
    public const string Ok = "/ok";

    /// <summary>Answers 200 with <c>{"ok":true}</c> after <see cref="SlowDelay"/>: a healthy but not instant target.</summary>
    public const string Slow = "/slow";

    /// <summary>Never answers: holds the request until the client gives up.</summary>
    public const string Hang = "/hang";

    /// <summary>Sends the headers at once, then the body one byte every <see cref="DripInterval"/>: <see cref="DripBytes"/> bytes in all.</summary>
    public const string Drip = "/drip";

    /// <summary>Sends the headers and the first part of the body, then aborts the connection.</summary>
    public const string Reset = "/reset";

    /// <summary>Answers 500 with a plain-text body.</summary>
    public const string ServerError = "/500";

    /// <summary>Answers 429 with <c>Retry-After</c> of <see cref="RetryAfter"/>.</summary>
    public const string TooManyRequests = "/429";

    /// <summary>Answers 410.</summary>
    public const string Gone = "/410";

    /// <summary>Answers 302 to <c>/landing/…</c> on <see cref="Landing"/>.</summary>
    public const string Redirect = "/302";

    /// <summary>Answers 200 with an HTML page (<c>text/html</c>).</summary>
    public const string Html = "/html";

    /// <summary>Answers 200 <c>application/json</c> with a body that is not JSON.</summary>
    public const string InvalidJson = "/invalid-json";

    /// <summary>Answers 200 with a body of <see cref="HugeBytes"/>, declared in <c>Content-Length</c>.</summary>
    public const string Huge = "/huge";

    /// <summary>Answers 200 with a body of <see cref="HugeBytes"/>, chunked, so that its size is known only by reading it.</summary>
    public const string HugeChunked = "/huge-chunked";

    /// <summary>Answers 200 with <c>{"landed":true}</c>: where <see cref="Redirect"/> points.</summary>
    public const string LandingRoute = "/landing";

    /// <summary>The body of a 500, 429 and 410 answer: a receiver's text that must never reach a log.</summary>
    public const string FailureBody = "receiver-failure-body-8d2c";

    /// <summary>The HTML page of <see cref="Html"/>.</summary>
    public const string HtmlBody = "<!doctype html><html><body><h1>Sign in</h1></body></html>";

    /// <summary>The body of <see cref="InvalidJson"/>.</summary>
    public const string InvalidJsonBody = """{"name": "unterminated""";

    /// <summary>The body length of <see cref="Huge"/> and <see cref="HugeChunked"/>: 10 MiB.</summary>
    public const int HugeBytes = 10 * 1024 * 1024;

    /// <summary>The body length of <see cref="Drip"/>.</summary>
    public const int DripBytes = 200;

    /// <summary>How many body bytes <see cref="Reset"/> declares.</summary>
    public const int ResetDeclaredBytes = 1000;

    /// <summary>How many body bytes <see cref="Reset"/> sends before it aborts the connection.</summary>
    public const int ResetSentBytes = 100;

    /// <summary>How long <see cref="Reset"/> waits between sending part of the body and aborting.</summary>
    public static readonly TimeSpan ResetPause = TimeSpan.FromMilliseconds(100);

    /// <summary>The pause between two bytes of <see cref="Drip"/>: the whole body takes 10 s.</summary>
    public static readonly TimeSpan DripInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>How long <see cref="Slow"/> takes to answer.</summary>
    public static readonly TimeSpan SlowDelay = TimeSpan.FromMilliseconds(25);

    /// <summary>The <c>Retry-After</c> of <see cref="TooManyRequests"/>.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _arrivals = new(StringComparer.Ordinal);
    private int _connections;
    private int _sequence;
    private int _completed;

    private FaultServer(IPAddress address, FaultServer? landing)
    {
        Landing = landing;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // A thousand clients connect at once in the load tests; the default backlog of 512 would make some retry their SYN.
        builder.WebHost.UseSockets(sockets => sockets.Backlog = 4096);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Listen(address, 0, listen => listen.Use(next => async connection =>
            {
                Interlocked.Increment(ref _connections);
                await next(connection);
            }));
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The base address, such as <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The port Kestrel listens on.</summary>
    public int Port => BaseAddress.Port;

    /// <summary>Where <see cref="Redirect"/> points; null on a landing server itself.</summary>
    public FaultServer? Landing { get; }

    /// <summary>How many TCP connections were accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>How many requests were answered to the end (not counting those the client or the fault cut short).</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Starts a fault server on <paramref name="address"/> (127.0.0.1 by default) and its landing server on <paramref name="landingAddress"/> (the same address by default).</summary>
    public static async Task<FaultServer> StartAsync(IPAddress? address = null, IPAddress? landingAddress = null)
    {
        var landing = await StartOneAsync(landingAddress ?? address ?? IPAddress.Loopback, null);
        return await StartOneAsync(address ?? IPAddress.Loopback, landing);
    }

    /// <summary>The absolute URL of <paramref name="path"/>, such as <c>/hang/case-7</c>.</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>The requests received on exactly <paramref name="path"/>, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> RequestsTo(string path) => [.. _requests.Where(r => string.Equals(r.Path, path, StringComparison.Ordinal))];

    /// <summary>
    /// Completes once a request to <paramref name="path"/> has been recorded (at once if one already was): a test that moves a fake
    /// clock past a target's timeout waits for this first, so the request is known to have reached the server.
    /// </summary>
    public Task ArrivedAsync(string path) => ArrivalOf(path).Task;

    /// <summary>Waits until <paramref name="count"/> requests have arrived on <paramref name="path"/>, for up to 30 s.</summary>
    public async Task WaitForRequestsAsync(string path, int count)
    {
        var clock = Stopwatch.StartNew();
        while (RequestsTo(path).Count < count)
        {
            if (clock.Elapsed > WaitLimit)
            {
                throw new XunitException($"Gave up waiting for {count} requests on {path}; {RequestsTo(path).Count} arrived.");
            }

            await Task.Delay(2);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stopping.Token);
        }

        await _app.DisposeAsync();
        if (Landing is not null)
        {
            await Landing.DisposeAsync();
        }
    }

    private static async Task<FaultServer> StartOneAsync(IPAddress address, FaultServer? landing)
    {
        var server = new FaultServer(address, landing);
        await server._app.StartAsync();
        var bound = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(bound.EndsWith('/') ? bound : bound + "/");
        return server;
    }

    private TaskCompletionSource ArrivalOf(string path) =>
        _arrivals.GetOrAdd(path, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static string RouteOf(string path)
    {
        var end = path.IndexOf('/', 1);
        return end < 0 ? path : path[..end];
    }

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var path = context.Request.Path.Value ?? "/";
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, aborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase);
            _requests.Enqueue(new ReceivedRequest(Interlocked.Increment(ref _sequence), context.Request.Method, path, headers, body.ToArray()));
            ArrivalOf(path).TrySetResult();
            if (await AnswerAsync(context, path, aborted))
            {
                Interlocked.Increment(ref _completed);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException || aborted.IsCancellationRequested)
        {
            // The client gave up (its timeout, or an answer too large to read) or the fault cut the connection: nothing is left to answer.
        }
    }

    /// <summary>Plays the fault of the path's route; false when the answer was cut short on purpose.</summary>
    private async Task<bool> AnswerAsync(HttpContext context, string path, CancellationToken aborted)
    {
        var response = context.Response;
        var route = RouteOf(path);
        switch (route)
        {
            case Ok:
                await WriteAsync(response, 200, "application/json", """{"ok":true}""", aborted);
                break;
            case Slow:
                await Task.Delay(SlowDelay, aborted);
                await WriteAsync(response, 200, "application/json", """{"ok":true}""", aborted);
                break;
            case Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, aborted);
                break;
            case Drip:
                response.StatusCode = 200;
                response.ContentType = "application/json";
                response.ContentLength = DripBytes;
                await response.Body.FlushAsync(aborted);
                var drip = Encoding.ASCII.GetBytes("\"" + new string('d', DripBytes - 2) + "\"");
                for (var i = 0; i < drip.Length; i++)
                {
                    await response.Body.WriteAsync(drip.AsMemory(i, 1), aborted);
                    await response.Body.FlushAsync(aborted);
                    await Task.Delay(DripInterval, aborted);
                }

                break;
            case Reset:
                response.StatusCode = 200;
                response.ContentType = "application/json";
                response.ContentLength = ResetDeclaredBytes;
                await response.Body.WriteAsync(Encoding.ASCII.GetBytes("[" + new string(' ', ResetSentBytes - 1)), aborted);
                await response.Body.FlushAsync(aborted);

                // Give the client time to read the headers, so that the connection breaks while it reads the body.
                await Task.Delay(ResetPause, aborted);
                context.Abort();
                return false;
            case ServerError:
                await WriteAsync(response, 500, "text/plain", FailureBody, aborted);
                break;
            case TooManyRequests:
                response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await WriteAsync(response, 429, "text/plain", FailureBody, aborted);
                break;
            case Gone:
                await WriteAsync(response, 410, "text/plain", FailureBody, aborted);
                break;
            case Redirect:
                var landing = Landing ?? throw new InvalidOperationException("A landing server has no landing server of its own.");
                response.StatusCode = 302;
                response.Headers.Location = landing.Url(LandingRoute + path[Redirect.Length..]);
                response.ContentLength = 0;
                break;
            case Html:
                await WriteAsync(response, 200, "text/html; charset=utf-8", HtmlBody, aborted);
                break;
            case InvalidJson:
                await WriteAsync(response, 200, "application/json", InvalidJsonBody, aborted);
                break;
            case Huge:
            case HugeChunked:
                response.StatusCode = 200;
                response.ContentType = "application/json";
                if (string.Equals(route, Huge, StringComparison.Ordinal))
                {
                    response.ContentLength = HugeBytes;
                }

                var chunk = new byte[64 * 1024];
                Array.Fill(chunk, (byte)' ');
                for (var sent = 0; sent < HugeBytes; sent += chunk.Length)
                {
                    await response.Body.WriteAsync(chunk, aborted);
                }

                break;
            case LandingRoute:
                await WriteAsync(response, 200, "application/json", """{"landed":true}""", aborted);
                break;
            default:
                await WriteAsync(response, 404, "text/plain", "no such fault", aborted);
                break;
        }

        return true;
    }

    private static async Task WriteAsync(HttpResponse response, int status, string contentType, string body, CancellationToken aborted)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, aborted);
    }
}
