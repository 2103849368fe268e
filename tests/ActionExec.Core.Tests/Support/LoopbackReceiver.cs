using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.Tests.Support;

/// <summary>
/// A real HTTP receiver: Kestrel on 127.0.0.1 and a free port, started and stopped by a test. Records every request
/// (method, path, headers, body bytes) in arrival order and every TCP connection, and answers each path as the test scripts it.
/// A path without a script answers 404.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<ReceivedRequest, ReceiverAnswer>> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private int _connections;
    private int _sequence;

    private LoopbackReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => async connection =>
        {
            Interlocked.Increment(ref _connections);
            await next(connection);
        })));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The base address, such as <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The port Kestrel listens on.</summary>
    public int Port => BaseAddress.Port;

    /// <summary>How many TCP connections were accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public static async Task<LoopbackReceiver> StartAsync()
    {
        var receiver = new LoopbackReceiver();
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return receiver;
    }

    /// <summary>The absolute URL of <paramref name="path"/> on this receiver.</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>Scripts the answer of <paramref name="path"/> (such as <c>/hook</c>).</summary>
    public void Answer(string path, ReceiverAnswer answer) => _answers[path] = _ => answer;

    /// <summary>Scripts the answer of <paramref name="path"/> from the request.</summary>
    public void Answer(string path, Func<ReceivedRequest, ReceiverAnswer> answer) => _answers[path] = answer;

    /// <summary>The requests received on <paramref name="path"/>, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> RequestsTo(string path) => [.. _requests.Where(r => string.Equals(r.Path, path, StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, aborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase);
        var received = new ReceivedRequest(
            Interlocked.Increment(ref _sequence),
            context.Request.Method,
            context.Request.Path.Value ?? "/",
            headers,
            body.ToArray());
        _requests.Enqueue(received);

        var answer = _answers.TryGetValue(received.Path, out var script) ? script(received) : ReceiverAnswer.Text(404, "no answer is scripted for this path");
        try
        {
            await WriteAsync(context.Response, answer, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client gave up (its timeout): nothing is left to answer.
        }
    }

    private static async Task WriteAsync(HttpResponse response, ReceiverAnswer answer, CancellationToken aborted)
    {
        if (answer.Delay > TimeSpan.Zero)
        {
            await Task.Delay(answer.Delay, aborted);
        }

        response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers.Append(name, value);
        }

        var body = answer.Body;
        if (!answer.Chunked)
        {
            response.ContentLength = body.Length;
        }

        if (answer.BodyDelay <= TimeSpan.Zero)
        {
            await response.Body.WriteAsync(body, aborted);
            return;
        }

        // Headers and half of the body now, the rest later: a client must time out while it reads the body.
        var half = body.Length / 2;
        await response.Body.WriteAsync(body[..half], aborted);
        await response.Body.FlushAsync(aborted);
        await Task.Delay(answer.BodyDelay, aborted);
        await response.Body.WriteAsync(body[half..], aborted);
    }
}
