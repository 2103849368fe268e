using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ActionExec.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.AspNetCore.Tests.Support;

/// <summary>
/// A real host on Kestrel (127.0.0.1, a free port) with the test authentication, <c>AddActionExecutions().AddActionExecutionsApi()</c>,
/// <c>UseActionExecutions()</c> and <c>MapActionExecutionsApi()</c>, a FakeTimeProvider, recorded logs, an <see cref="HttpClient"/>
/// for it, and a <see cref="LoopbackReceiver"/> for its targets.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public const string Tenant = "69629023906488334";

    public const string Json = "application/json";

    public static readonly DateTimeOffset Start = new(2024, 12, 18, 7, 50, 47, 492, TimeSpan.Zero);

    private ApiHost(WebApplication app, HttpClient client, FakeTimeProvider clock, RecordingLoggerProvider logs, LoopbackReceiver receiver)
    {
        App = app;
        Client = client;
        Clock = clock;
        Logs = logs;
        Receiver = receiver;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>The host's clock, from <see cref="Start"/>: dates in answers are known to the millisecond, and timeouts fire when a test moves it.</summary>
    public FakeTimeProvider Clock { get; }

    public RecordingLoggerProvider Logs { get; }

    public LoopbackReceiver Receiver { get; }

    public static async Task<ApiHost> StartAsync(
        Action<IActionExecutionsBuilder>? configure = null,
        Action<ActionExecutionsApiOptions>? api = null,
        Action<WebApplication>? map = null,
        Action<IServiceCollection>? services = null)
    {
        var receiver = await LoopbackReceiver.StartAsync();
        var clock = new FakeTimeProvider(Start);
        var logs = new RecordingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        services?.Invoke(builder.Services);
        var actions = builder.Services.AddActionExecutions().AddHttpTargets(static o => o.AllowLoopback()).AddActionExecutionsApi(o =>
        {
            o.DefaultTenantId = Tenant;
            api?.Invoke(o);
        });
        configure?.Invoke(actions);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseActionExecutions();
        app.MapActionExecutionsApi();
        map?.Invoke(app);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        return new ApiHost(app, client, clock, logs, receiver);
    }

    /// <summary>Sends a request; a body is sent with <paramref name="contentType"/> (none when null), credentials with <paramref name="key"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        string? body = null,
        string? key = TestAuthenticationHandler.Admin,
        string? contentType = Json,
        string? tenant = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (tenant is not null)
        {
            request.Headers.Add(HeaderTenantResolver.Header, tenant);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Creates a target through the API; its endpoint is <c>/&lt;name&gt;</c> on the receiver unless given.</summary>
    public async Task<(string Id, string SigningKey)> CreateTargetAsync(
        string name,
        string type = "restWebhook",
        bool interrupt = true,
        string timeout = "10s",
        string? endpoint = null,
        string? tenant = null)
    {
        var typeJson = string.Equals(type, "restAsync", StringComparison.Ordinal) ? "{}" : $$"""{"interruptOnError":{{(interrupt ? "true" : "false")}}}""";
        var body = $$"""{"name":"{{name}}","endpoint":"{{endpoint ?? Receiver.Url("/" + name)}}","timeout":"{{timeout}}","{{type}}":{{typeJson}}}""";
        using var response = await SendAsync(HttpMethod.Post, "/v2beta/actions/targets", body, tenant: tenant);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var json = JsonNode.Parse(text)!;
        return ((string)json["id"]!, (string)json["signingKey"]!);
    }

    /// <summary>Sets an execution through the v3alpha API.</summary>
    public async Task SetExecutionAsync(string conditionJson, params string[] targetIds)
    {
        var targets = string.Join(",", targetIds.Select(id => $$"""{"target":"{{id}}"}"""));
        using var response = await SendAsync(HttpMethod.Put, "/v3alpha/executions", $$"""{"condition":{{conditionJson}},"targets":[{{targets}}]}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await App.StopAsync(stopping.Token);
        await App.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
