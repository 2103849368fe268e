using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.Benchmarks.Http;

/// <summary>Kestrel on 127.0.0.1 and a free port, answering every request 200 with an empty body; counts what it received.</summary>
internal sealed class EmptyOkReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;
    private long _signed;
    private long _connections;

    private EmptyOkReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
        {
            Interlocked.Increment(ref _connections);
            return next(connection);
        })));
        _app = builder.Build();
        _app.Run(context =>
        {
            Interlocked.Increment(ref _requests);
            if (context.Request.Headers.ContainsKey("ZITADEL-Signature"))
            {
                Interlocked.Increment(ref _signed);
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        });
    }

    /// <summary>The address of <c>/hook</c>.</summary>
    public Uri HookUrl { get; private set; } = null!;

    public long Requests => Interlocked.Read(ref _requests);

    public long Signed => Interlocked.Read(ref _signed);

    /// <summary>How many TCP connections were accepted: both clients keep theirs alive, so it stays small.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    public static async Task<EmptyOkReceiver> StartAsync()
    {
        var receiver = new EmptyOkReceiver();
        await receiver._app.StartAsync().ConfigureAwait(false);
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.HookUrl = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
