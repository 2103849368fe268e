using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using ActionExec.AspNetCore.Receiving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.AspNetCore.Tests.Support;

/// <summary>
/// A service that is someone's action target, on Kestrel (127.0.0.1, a free port), built on the receiver helpers: its endpoints
/// are marked with <c>RequireActionSignature</c>. Records what arrived (raw, before verification) and what its handlers were given.
/// </summary>
/// <remarks>
/// <c>POST /hooks/gate</c> answers 200 <c>{}</c> and records the <see cref="ActionDelivery"/>; <c>POST /hooks/deny</c> answers
/// <c>ActionResults.Error(403, …)</c>; <c>POST /hooks/typed</c> binds the body to <see cref="Envelope"/>;
/// <c>POST /hooks/fail</c> answers 500 (the sender retries); <c>POST /hooks/other</c> uses the receiver named "other", with one key of its own and any a test adds. With
/// <c>controllers</c>, every controller of the test assembly is mapped and marked too.
/// </remarks>
public sealed class ReceiverHost : IAsyncDisposable
{
    public const string DenyMessage = "Ann may not be greeted.";

    private readonly ConcurrentQueue<RawRequest> _arrived = new();
    private readonly ConcurrentQueue<ActionDelivery> _deliveries = new();
    private readonly ConcurrentQueue<string> _typed = new();
    private int _failures;

    private ReceiverHost()
    {
    }

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The receiver's clock; starts where the sender's does.</summary>
    public FakeTimeProvider Clock { get; } = new(ApiHost.Start);

    public RecordingLoggerProvider Logs { get; } = new();

    /// <summary>Every request that reached the host, as it came.</summary>
    public IReadOnlyList<RawRequest> Arrived => [.. _arrived];

    /// <summary>The deliveries the handlers were given.</summary>
    public IReadOnlyList<ActionDelivery> Deliveries => [.. _deliveries];

    /// <summary>The names <c>/hooks/typed</c> bound from its body.</summary>
    public IReadOnlyList<string> Typed => [.. _typed];

    /// <summary>How many times <c>/hooks/fail</c> should fail before it succeeds.</summary>
    public int FailuresLeft
    {
        get => Volatile.Read(ref _failures);
        set => Volatile.Write(ref _failures, value);
    }

    public static async Task<ReceiverHost> StartAsync(Action<ActionReceiverOptions> configure, Action<IServiceCollection>? services = null, bool controllers = false)
    {
        var host = new ReceiverHost();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(host.Logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<TimeProvider>(host.Clock);
        builder.Services.AddActionReceiver(configure);
        builder.Services.AddActionReceiver("other", o => o.SigningKeys.Add("the-other-receivers-first-key"));
        services?.Invoke(builder.Services);
        if (controllers)
        {
            builder.Services.AddControllers().AddApplicationPart(typeof(ReceiverHost).Assembly);
        }

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy);
            context.Request.Body.Position = 0;
            host._arrived.Enqueue(new RawRequest(
                context.Request.Path,
                [.. context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v!)))],
                copy.ToArray()));
            await next(context);
        });

        var hooks = app.MapGroup("/hooks");
        hooks.MapPost("/gate", (ActionDelivery delivery) =>
        {
            host._deliveries.Enqueue(delivery);
            return Results.Json(new { }, statusCode: 200);
        }).RequireActionSignature();
        hooks.MapPost("/deny", (ActionDelivery delivery) =>
        {
            host._deliveries.Enqueue(delivery);
            return ActionResults.Error(403, DenyMessage);
        }).RequireActionSignature();
        hooks.MapPost("/typed", ([FromBody] Envelope envelope) =>
        {
            host._typed.Enqueue(envelope.Request.GetProperty("name").GetString()!);
            return Results.Json(new { });
        }).RequireActionSignature();
        hooks.MapPost("/fail", (ActionDelivery delivery) =>
        {
            host._deliveries.Enqueue(delivery);
            return Interlocked.Decrement(ref host._failures) >= 0 ? Results.StatusCode(500) : Results.Json(new { });
        }).RequireActionSignature();
        hooks.MapPost("/other", (ActionDelivery delivery) =>
        {
            host._deliveries.Enqueue(delivery);
            return Results.Json(new { });
        }).RequireActionSignature("other");
        if (controllers)
        {
            app.MapControllers().RequireActionSignature();
        }

        await app.StartAsync();
        host.App = app;
        host.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return host;
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>Sends <paramref name="request"/> again, byte for byte: the same path, signature headers and body.</summary>
    public async Task<HttpResponseMessage> ReplayAsync(RawRequest request, Func<byte[], byte[]>? body = null)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Path) { Content = new ByteArrayContent(body?.Invoke(request.Body) ?? request.Body) };
        foreach (var (name, value) in request.Headers)
        {
            if (name.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase) || name.Equals("ZITADEL-Signature", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        return await client.SendAsync(message);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await App.StopAsync(stopping.Token);
        await App.DisposeAsync();
    }

    public sealed record RawRequest(string Path, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
    {
        public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    }

    public sealed record Envelope(string FullMethod, JsonElement Request);
}
