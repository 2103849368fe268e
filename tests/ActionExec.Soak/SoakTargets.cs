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

namespace ActionExec.Soak;

/// <summary>
/// The targets the soak calls: Kestrel on 127.0.0.1 and a free port. <c>/ok</c> answers 200, <c>/call</c> answers the request's
/// <c>n</c> plus one (so every flow's result can be checked), <c>/fail</c> answers 500, <c>/gone</c> 410, and <c>/hang</c> never
/// answers.
/// </summary>
internal sealed class SoakTargets : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SoakTargets()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<SoakTargets> StartAsync()
    {
        var targets = new SoakTargets();
        await targets._app.StartAsync();
        var address = targets._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        targets.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return targets;
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public async ValueTask DisposeAsync()
    {
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stopping.Token);
        }

        await _app.DisposeAsync();
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        try
        {
            switch (context.Request.Path.Value)
            {
                case "/ok":
                    context.Response.StatusCode = 200;
                    break;
                case "/call":
                    using (var payload = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: aborted))
                    {
                        var n = payload.RootElement.GetProperty("request").GetProperty("n").GetInt64();
                        context.Response.ContentType = "application/json";
                        await context.Response.WriteAsync($$"""{"n":{{n + 1}},"by":"call"}""", aborted);
                    }

                    break;
                case "/fail":
                    context.Response.StatusCode = 500;
                    break;
                case "/gone":
                    context.Response.StatusCode = 410;
                    break;
                case "/hang":
                    await Task.Delay(Timeout.InfiniteTimeSpan, aborted);
                    break;
                default:
                    context.Response.StatusCode = 404;
                    break;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The caller gave up (its timeout): nothing is left to answer.
        }
    }
}
