using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.PostgreSql.Tests.Durability;

/// <summary>
/// The receiver of the durability tests: Kestrel on 127.0.0.1 and a free port, answering 200 to every delivery after
/// <see cref="Delay"/>, and counting the <c>webhook-id</c> of every request that reached it: at-least-once means every id at
/// least once, and a duplicate is only ever a repeated id.
/// </summary>
internal sealed class DeliveryReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _aggregates = new(StringComparer.Ordinal);
    private int _requests;
    private int _started;

    private DeliveryReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(static kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The URL deliveries are posted to.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>How long each answer takes: long enough, and a worker killed meanwhile dies mid-delivery.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>How many requests started (answered or not).</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>How many requests were answered 200.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>How many different delivery ids were answered.</summary>
    public int DistinctIds => _ids.Count;

    /// <summary>Whether an event of this aggregate id was answered.</summary>
    public bool Received(string aggregateId) => _aggregates.ContainsKey(aggregateId);

    /// <summary>The delivery ids answered more than once, with how often.</summary>
    public IReadOnlyDictionary<string, int> Duplicates => _ids.Where(static p => p.Value > 1).ToDictionary(static p => p.Key, static p => p.Value, StringComparer.Ordinal);

    public static async Task<DeliveryReceiver> StartAsync()
    {
        var receiver = new DeliveryReceiver();
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _started);
        var id = context.Request.Headers["webhook-id"].ToString();
        string? aggregateId;
        using (var body = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            using var json = JsonDocument.Parse(body.ToArray());
            aggregateId = json.RootElement.TryGetProperty("aggregateID", out var aggregate) ? aggregate.GetString() : null;
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        // Counted before the answer is sent: a sender killed now has delivered, as far as the receiver knows.
        _ids.AddOrUpdate(id, 1, static (_, n) => n + 1);
        if (aggregateId is not null)
        {
            _aggregates[aggregateId] = true;
        }

        Interlocked.Increment(ref _requests);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
