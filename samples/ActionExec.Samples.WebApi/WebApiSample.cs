using ActionExec.PostgreSql;
using ActionExec.Samples.WebApi.Authentication;
using ActionExec.Samples.WebApi.Demo;
using ActionExec.Samples.WebApi.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Npgsql;

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

    /// <summary>Where the sample maps the actions dashboard: <c>/actions</c>.</summary>
    public const string DashboardPath = "/actions";

    /// <summary>The log category of the sample's own lines, whichever process hosts it.</summary>
    public const string LogCategory = "ActionExec.Samples.WebApi";

    /// <summary>
    /// The configuration key of the folder that holds the Data Protection key ring when the sample uses PostgreSQL:
    /// <c>ActionExec:Sample:KeyRingPath</c> (environment <c>ActionExec__Sample__KeyRingPath</c>). Copies that are one system
    /// name the same folder.
    /// </summary>
    public const string KeyRingPathKey = SampleOptions.SectionName + ":KeyRingPath";

    /// <summary>The Data Protection application name of every copy, so that copies started from different folders share keys.</summary>
    private const string DataProtectionApplicationName = "ActionExec.Samples.WebApi";

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
        var authentication = services.AddAuthentication(BearerKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerKeyAuthenticationHandler>(BearerKeyAuthenticationHandler.SchemeName, configureOptions: null);
        DashboardSignIn.AddServices(services, authentication);

        // One tenant (the default resolver) and the catalog of the demo API. The options bind from the ActionExec section, so
        // ActionExec__Delivery__Workers=4 in the environment sets the delivery workers.
        // Sample only: targets may reach loopback, so that a receiver on this machine, such as the one in the README, can be
        // called. Private, link-local and the other reserved networks stay denied, as they are by default.
        // The demo API is also a gRPC service: the interceptor runs its request and response flows with the gRPC full method, the
        // same value its JSON route is marked with, and AddGrpcServices adds the mapped gRPC methods to the catalog.
        services.AddGrpc(static o => o.AddActionExecutions());
        var actions = services.AddActionExecutions(configuration.GetSection("ActionExec"))
            .AddHttpTargets(static o => o.AllowLoopback())
            .AddCatalog(DemoApi.Describe)
            .AddActionExecutionsApi(configuration.GetSection("ActionExec:Api"))
            .AddGrpcServices()
            .AddPayloadSigningKeys(SamplePayloadSigningKey.Load(configuration));
        AddStorage(actions, configuration);

        // ActionExec:Sample:ActionsEnabled=false turns the actions feature off: SetExecution then fails with code 9.
        var sample = configuration.GetSection(SampleOptions.SectionName);
        services.AddOptions<ActionExecutionOptions>()
            .Configure(options => options.ActionsEnabled = sample.GetValue("ActionsEnabled", defaultValue: true));
        services.AddSingleton<IOptionsChangeTokenSource<ActionExecutionOptions>>(new ConfigurationChangeTokenSource<ActionExecutionOptions>(sample));
        services.AddSingleton<DemoApi>();
        return builder;
    }

    /// <summary>
    /// Whether the sample keeps its state in PostgreSQL: when the connection string <c>ConnectionStrings:ActionExec</c> is set
    /// (environment <c>ConnectionStrings__ActionExec</c>). Otherwise everything is in memory.
    /// </summary>
    /// <param name="configuration">The app's configuration.</param>
    /// <returns>Whether <c>ConnectionStrings:ActionExec</c> is set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is null.</exception>
    public static bool UsesPostgreSql(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration.GetConnectionString(PostgreSqlBuilderExtensions.ConnectionStringName));
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

        // The public keys of the payload signing key, for receivers of the jwt and jwe targets: /.well-known/actionexec/jwks.json.
        app.MapActionExecutionsJwks();

        // The dashboard: open on this machine in Development; otherwise for a browser signed in with the admin or reader key.
        if (!app.Environment.IsDevelopment())
        {
            DashboardSignIn.Map(app);
        }

        app.MapActionExecutionsDashboard(DashboardPath, o =>
        {
            o.Title = "ActionExec sample";
            if (!app.Environment.IsDevelopment())
            {
                o.AuthorizationPolicy = DashboardSignIn.PolicyName;
                o.SignInPath = DashboardSignIn.SignInPath;
            }
        });
        app.Services.GetRequiredService<DemoApi>().Map(app);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // Kestrel binds the HTTP/1.1 addresses first, then the HTTP/2 ones, each in its list's order.
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
            var http1 = app.Services.GetRequiredService<SampleListeners>().Http1.Count;
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
            LogListening(logger, string.Join(", ", addresses.Take(http1)), string.Join(", ", addresses.Skip(http1)));
            LogStorage(app.Services, app.Configuration, logger);
        });
        return app;
    }

    /// <summary>Creates and builds the app: <c>Build(CreateBuilder(args))</c>.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The app, ready to run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="args"/> is null.</exception>
    public static WebApplication CreateApp(string[] args) => Build(CreateBuilder(args));

    /// <summary>
    /// In memory unless a connection string is set. With one, every copy of the sample started with it is one system: the
    /// store, the delivery queue where the package provides it, and the change notifications are in the database. The signing
    /// keys of the targets are encrypted with Data Protection, whose key ring every copy must share as well, or one copy cannot
    /// sign for a target another created: <c>ActionExec:Sample:KeyRingPath</c> names a folder for it (the default is the user's
    /// own, <c>~/.aspnet/DataProtection-Keys</c>, which copies run by one user on one machine share).
    /// </summary>
    private static void AddStorage(IActionExecutionsBuilder actions, IConfiguration configuration)
    {
        if (!UsesPostgreSql(configuration))
        {
            return;
        }

        actions.AddPostgreSql(configuration);
        var protection = actions.Services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        var keyRing = configuration[KeyRingPathKey];
        if (!string.IsNullOrWhiteSpace(keyRing))
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        }
    }

    private static void LogStorage(IServiceProvider services, IConfiguration configuration, ILogger logger)
    {
        if (!UsesPostgreSql(configuration))
        {
            LogInMemory(logger);
            return;
        }

        // The connection string may hold a password: only where it points is logged.
        var connection = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(PostgreSqlBuilderExtensions.ConnectionStringName));
        var schema = services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.Schema;
        LogPostgreSql(logger, connection.Database ?? connection.Username ?? "(default)", connection.Host ?? "localhost", connection.Port, schema);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "The ActionExec WebApi sample listens on {Addresses}: the management API under /v2 (ZITADEL's GA routes and the delivery history), /v2beta and /v3alpha, the payload keys at /.well-known/actionexec/jwks.json, the dashboard at /actions/, the demo API under /demo.v1 as JSON and gRPC-Web; and on {GrpcAddresses} over HTTP/2: the demo API as gRPC.")]
    private static partial void LogListening(ILogger logger, string addresses, string grpcAddresses);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The ActionExec WebApi sample keeps its targets and executions in memory; set ConnectionStrings:ActionExec to keep them in PostgreSQL and share them with other copies.")]
    private static partial void LogInMemory(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "The ActionExec WebApi sample keeps its targets and executions in PostgreSQL, database {Database} on {Host}:{Port}, schema {Schema}; every copy started with this connection string is part of one system.")]
    private static partial void LogPostgreSql(ILogger logger, string database, string host, int port, string schema);
}
