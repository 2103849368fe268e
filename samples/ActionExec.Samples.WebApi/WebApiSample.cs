using ActionExec.Samples.WebApi.Authentication;
using ActionExec.Samples.WebApi.Demo;
using ActionExec.Samples.WebApi.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ActionExec.Samples.WebApi;

/// <summary>
/// The WebApi sample: a standard <see cref="WebApplication"/> with the ActionExec management API at the root (as JSON, and as
/// ZITADEL's gRPC services), a bearer-key
/// authentication for it, and a small demo API whose calls run request, response, function and event flows.
/// <c>Program</c> runs <see cref="CreateApp"/>; tests build the same app, with their own arguments, to host it in-process.
/// </summary>
public static partial class WebApiSample
{
    /// <summary>
/// Where the sample listens (HTTP/1.1: the management API, the demo API as JSON and gRPC-Web) when neither <c>--urls</c> nor
/// another standard setting (such as <c>ASPNETCORE_URLS</c>) says. gRPC over HTTP/2 has its own address,
/// <c>ActionExec:Sample:GrpcUrls</c>, <c>http://127.0.0.1:5081</c> by default.
/// </summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The log category of the sample's own lines, whichever process hosts it.</summary>
    public const string LogCategory = "ActionExec.Samples.WebApi";

    /// <summary>Creates the builder with every service of the sample registered, from the standard configuration and <paramref name="args"/>.</summary>
    /// <param name="args">Command-line arguments, such as <c>--urls http://127.0.0.1:5199</c> or <c>--ActionExec:Sample:ActionsEnabled=false</c>.</param>
    /// <returns>The builder, for a test to add to before <see cref="Build"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="args"/> is null.</exception>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);

        // The output folder is the content root, so that appsettings.json is found from whichever folder `dotnet run` starts in.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddSingleton(SampleListeners.Configure(builder));
        services.AddOptions<SampleOptions>().BindConfiguration(SampleOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SampleOptions>, SampleOptionsValidator>();
        services.AddAuthentication(BearerKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerKeyAuthenticationHandler>(BearerKeyAuthenticationHandler.SchemeName, configureOptions: null);

        // One tenant (the default resolver), the in-memory store and delivery queue, and the catalog of the demo API. The options
        // bind from the ActionExec section, so ActionExec__Delivery__Workers=4 in the environment sets the delivery workers.
        // Sample only: targets may reach loopback, so that a receiver on this machine, such as the one in the README, can be
        // called. Private, link-local and the other reserved networks stay denied, as they are by default.
        // The demo API is also a gRPC service: the interceptor runs its request and response flows with the gRPC full method, the
        // same value its JSON route is marked with, and AddGrpcServices adds the mapped gRPC methods to the catalog.
        services.AddGrpc(static o => o.AddActionExecutions());
        services.AddActionExecutions(configuration.GetSection("ActionExec"))
            .AddHttpTargets(static o => o.AllowLoopback())
            .AddCatalog(DemoApi.Describe)
            .AddActionExecutionsApi(configuration.GetSection("ActionExec:Api"))
            .AddGrpcServices();

        // ActionExec:Sample:ActionsEnabled=false turns the actions feature off: SetExecution then fails with code 9.
        var sample = configuration.GetSection(SampleOptions.SectionName);
        services.AddOptions<ActionExecutionOptions>()
            .Configure(options => options.ActionsEnabled = sample.GetValue("ActionsEnabled", defaultValue: true));
        services.AddSingleton<IOptionsChangeTokenSource<ActionExecutionOptions>>(new ConfigurationChangeTokenSource<ActionExecutionOptions>(sample));
        services.AddSingleton<DemoApi>();
        return builder;
    }

    /// <summary>
/// Builds the app: authentication, gRPC-Web, the interception middleware, the management API (JSON, gRPC and gRPC-Web) and the
/// demo API (JSON, gRPC and gRPC-Web).
/// </summary>
    /// <param name="builder">A builder from <see cref="CreateBuilder"/>.</param>
    /// <returns>The app, ready to run; once started it logs where it listens.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.UseActionExecutions();
        app.MapActionExecutionsApi();
        app.MapActionExecutionsGrpc();
        app.Services.GetRequiredService<DemoApi>().Map(app);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // Kestrel binds the HTTP/1.1 addresses first, then the HTTP/2 ones, each in its list's order.
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
            var http1 = app.Services.GetRequiredService<SampleListeners>().Http1.Count;
            LogListening(
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory),
                string.Join(", ", addresses.Take(http1)),
                string.Join(", ", addresses.Skip(http1)));
        });
        return app;
    }

    /// <summary>Creates and builds the app: <c>Build(CreateBuilder(args))</c>.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The app, ready to run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="args"/> is null.</exception>
    public static WebApplication CreateApp(string[] args) => Build(CreateBuilder(args));

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "The ActionExec WebApi sample listens on {Addresses}: the management API under /v2beta and /v3alpha, the demo API under /demo.v1 as JSON and gRPC-Web; and on {GrpcAddresses} over HTTP/2: the demo API as gRPC.")]
    private static partial void LogListening(ILogger logger, string addresses, string grpcAddresses);
}
