using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ActionExec.Samples.WebApi;
using ActionExec.Samples.WebApi.Demo.V1;
using ActionExec.Tests.Support;
using Zitadel.Action.V2Beta;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.Samples.Tests.Support;

/// <summary>
/// The WebApi sample's app, built by <see cref="WebApiSample.CreateBuilder"/> and <see cref="WebApiSample.Build"/> with
/// <c>--urls http://127.0.0.1:0</c>, <c>--ActionExec:Sample:GrpcUrls=http://127.0.0.1:0</c> and the test's own arguments, started
/// on Kestrel; an <see cref="HttpClient"/> for its HTTP/1.1 address, gRPC clients of the demo services over HTTP/2 (its gRPC
/// address) and over gRPC-Web (its HTTP/1.1 address), its recorded logs, and a <see cref="LoopbackReceiver"/> for its targets.
/// </summary>
public sealed class SampleHost : IAsyncDisposable
{
    public const string AdminKey = "admin-dev-key";

    public const string ReaderKey = "reader-dev-key";

    /// <summary>The one tenant of the sample (the default resolver's).</summary>
    public const string Tenant = "default";

    private readonly GrpcChannel _channel;
    private readonly GrpcChannel _webChannel;

    private SampleHost(WebApplication app, HttpClient client, Uri grpcAddress, RecordingLoggerProvider logs, LoopbackReceiver receiver)
    {
        App = app;
        Client = client;
        GrpcAddress = grpcAddress;
        Logs = logs;
        Receiver = receiver;
        _channel = GrpcChannel.ForAddress(grpcAddress);
        _webChannel = GrpcChannel.ForAddress(client.BaseAddress!, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        Greeter = new GreeterService.GreeterServiceClient(_channel);
        WebGreeter = new GreeterService.GreeterServiceClient(_webChannel);
        Token = new TokenService.TokenServiceClient(_channel);
        WebToken = new TokenService.TokenServiceClient(_webChannel);
    }

    public WebApplication App { get; }

    /// <summary>The HTTP/1.1 address: the management API, the demo API as JSON and as gRPC-Web.</summary>
    public HttpClient Client { get; }

    /// <summary>The HTTP/2 address: the demo API as gRPC.</summary>
    public Uri GrpcAddress { get; }

    /// <summary><c>demo.v1.GreeterService</c> over gRPC (HTTP/2).</summary>
    public GreeterService.GreeterServiceClient Greeter { get; }

    /// <summary><c>demo.v1.GreeterService</c> over gRPC-Web (HTTP/1.1).</summary>
    public GreeterService.GreeterServiceClient WebGreeter { get; }

    /// <summary><c>demo.v1.TokenService</c> over gRPC (HTTP/2).</summary>
    public TokenService.TokenServiceClient Token { get; }

    /// <summary><c>demo.v1.TokenService</c> over gRPC-Web (HTTP/1.1).</summary>
    public TokenService.TokenServiceClient WebToken { get; }

    /// <summary><c>zitadel.action.v2beta.ActionService</c>, the management API over gRPC (HTTP/2) or gRPC-Web (HTTP/1.1).</summary>
    public ActionService.ActionServiceClient Actions(bool grpcWeb = false) => new(grpcWeb ? _webChannel : _channel);

    /// <summary>The call metadata with the key as <c>authorization: Bearer &lt;key&gt;</c>.</summary>
    public static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };

    public RecordingLoggerProvider Logs { get; }

    public LoopbackReceiver Receiver { get; }

    /// <summary>Starts the sample with <paramref name="args"/> after the test's <c>--urls</c>, such as <c>--ActionExec:Sample:ActionsEnabled=false</c>.</summary>
    public static async Task<SampleHost> StartAsync(params string[] args)
    {
        var receiver = await LoopbackReceiver.StartAsync();
        var logs = new RecordingLoggerProvider();
        var builder = WebApiSample.CreateBuilder(["--urls", "http://127.0.0.1:0", "--ActionExec:Sample:GrpcUrls=http://127.0.0.1:0", "--hostBuilder:reloadConfigOnChange=false", .. args]);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        var app = WebApiSample.Build(builder);
        await app.StartAsync();

        // Kestrel binds the HTTP/1.1 address first, then the HTTP/2 one.
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.ToList();
        Assert.Equal(2, addresses.Count);
        var client = new HttpClient { BaseAddress = new Uri(addresses[0]), Timeout = TimeSpan.FromSeconds(60) };
        return new SampleHost(app, client, new Uri(addresses[1]), logs, receiver);
    }

    /// <summary>Calls a demo method, Connect-style: POST with a JSON body and no credentials.</summary>
    public Task<HttpResponseMessage> CallAsync(string fullMethod, string json) => SendAsync(HttpMethod.Post, fullMethod, json, key: null);

    /// <summary>Sends a request; a body is sent as <c>application/json</c>, credentials as <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string? key = AdminKey)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Creates a target through the API with the admin key; its endpoint is <c>/&lt;name&gt;</c> on the receiver.</summary>
    public async Task<string> CreateTargetAsync(string name, string type = "restWebhook", bool interrupt = true)
    {
        var typeJson = string.Equals(type, "restAsync", StringComparison.Ordinal) ? "{}" : $$"""{"interruptOnError":{{(interrupt ? "true" : "false")}}}""";
        var body = $$"""{"name":"{{name}}","endpoint":"{{Receiver.Url("/" + name)}}","timeout":"10s","{{type}}":{{typeJson}}}""";
        using var response = await SendAsync(HttpMethod.Post, "/v2beta/actions/targets", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return (string)JsonNode.Parse(text)!["id"]!;
    }

    /// <summary>Sets an execution through the v3alpha API with the admin key.</summary>
    public async Task SetExecutionAsync(string conditionJson, params string[] targetIds)
    {
        var targets = string.Join(",", targetIds.Select(id => $$"""{"target":"{{id}}"}"""));
        using var response = await SendAsync(HttpMethod.Put, "/v3alpha/executions", $$"""{"condition":{{conditionJson}},"targets":[{{targets}}]}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Answers <paramref name="path"/> on the receiver with 200 and completes with the first request it gets.</summary>
    public Task<ReceivedRequest> NextRequestTo(string path)
    {
        var received = new TaskCompletionSource<ReceivedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        Receiver.Answer(path, request =>
        {
            received.TrySetResult(request);
            return ReceiverAnswer.Ok;
        });
        return received.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        _webChannel.Dispose();
        Client.Dispose();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await App.StopAsync(stopping.Token);
        await App.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
