using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ActionExec.PostgreSql;
using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Samples.Tests.Support;
using ActionExec.Samples.WebApi;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Sdk;

namespace ActionExec.Samples.Tests.WebApi;

/// <summary>
/// Copies of the sample with one connection string are one system: each test starts them on loopback ports over a schema of its
/// own in the throwaway server, with one key ring, as the README's "Running several instances" tells.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WebApiSampleOnPostgreSqlTests(PostgresServer server) : IAsyncLifetime
{
    private const string SayHello = "/demo.v1.GreeterService/SayHello";

    /// <summary>The throwaway server trusts every local connection, so a password is accepted and ignored: it must never be logged.</summary>
    private const string Password = "never-logged-4f1c";

    /// <summary>Longer than the poll bound the copies run with (one second), for a slow machine.</summary>
    private static readonly TimeSpan Converged = TimeSpan.FromSeconds(20);

    private readonly string _schema = PostgresServer.NewSchema();
    private readonly DirectoryInfo _keyRing = Directory.CreateTempSubdirectory("actionexec-keys-");
    private readonly List<SampleHost> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _keyRing.Delete(recursive: true);
    }

    [Fact]
    public async Task Build_ConnectionStringSet_LogsTheDatabaseAndSchemaWithoutThePassword()
    {
        var host = await StartCopyAsync();

        var line = Assert.Single(host.Logs.Records, r => string.Equals(r.Category, WebApiSample.LogCategory, StringComparison.Ordinal) && r.EventId.Id == 3);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(
            $"The ActionExec WebApi sample keeps its targets and executions in PostgreSQL, database actionexec_tests on 127.0.0.1:{server.Port}, schema {_schema}; every copy started with this connection string is part of one system.",
            line.Message);
        Assert.DoesNotContain(host.Logs.Records, r => r.Message.Contains(Password, StringComparison.Ordinal));
        Assert.Equal(_schema, host.App.Services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.Schema);
    }

    [Fact]
    public async Task SetExecution_OnOneCopy_RunsInTheInterceptorOfTheOther()
    {
        var a = await StartCopyAsync();
        var b = await StartCopyAsync();
        using (var before = await b.CallAsync(SayHello, """{"name": "Ada"}"""))
        {
            // B now holds the tenant, so what follows is a change reaching it, not a first load.
            Assert.Equal("""{"message":"Hello, Ada"}""", await before.Content.ReadAsStringAsync());
        }

        a.Receiver.Answer("/shout", ReceiverAnswer.Json("""{"name":"ADA"}"""));
        var shout = await a.CreateTargetAsync("shout", type: "restCall");
        await a.SetExecutionAsync("""{"request":{"method":"/demo.v1.GreeterService/SayHello"}}""", shout);

        var answer = await UntilAsync(
            async () =>
            {
                using var response = await b.CallAsync(SayHello, """{"name": "Ada"}""");
                return await response.Content.ReadAsStringAsync();
            },
            body => string.Equals(body, """{"message":"Hello, ADA"}""", StringComparison.Ordinal),
            "the copy that did not set the execution runs it");

        Assert.Equal("""{"message":"Hello, ADA"}""", answer);
        // B signed the call with the key A created, read back through the shared key ring.
        var call = Assert.Single(a.Receiver.RequestsTo("/shout"));
        Assert.False(string.IsNullOrEmpty(call.Header("ZITADEL-Signature")));
    }

    [Fact]
    public async Task CreateTarget_OnOneCopy_IsListedOnTheOther()
    {
        var a = await StartCopyAsync();
        var b = await StartCopyAsync();
        using (var empty = await a.SendAsync(HttpMethod.Get, "/v2beta/actions/targets"))
        {
            Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        }

        var target = await b.CreateTargetAsync("hook");

        var ids = await UntilAsync(() => TargetIdsAsync(a), listed => listed.Contains(target), "the target created on B is listed on A");
        Assert.Equal([target], ids);
    }

    [Fact]
    public async Task PublishEvent_ExecutionSetOnTheOtherCopy_IsDeliveredOnceWithItsId()
    {
        var a = await StartCopyAsync();
        var b = await StartCopyAsync();
        a.Receiver.Answer("/events", ReceiverAnswer.Ok);
        var events = await a.CreateTargetAsync("events");
        await a.SetExecutionAsync("""{"event":{"group":"demo.greeting.*"}}""", events);
        await UntilAsync(
            async () =>
            {
                using var response = await b.SendAsync(HttpMethod.Get, "/v2beta/actions/executions");
                return await response.Content.ReadAsStringAsync();
            },
            body => body.Contains(events, StringComparison.Ordinal),
            "B lists the execution");

        using var response = await b.CallAsync(SayHello, """{"name": "Grace"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivered = await UntilAsync(() => Task.FromResult(a.Receiver.RequestsTo("/events")), r => r.Count > 0, "the greeting is delivered");

        // Accepted at once, so one request is all there may be, whichever copy's worker took the delivery.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var greeting = Assert.Single(a.Receiver.RequestsTo("/events"));
        Assert.Equal(delivered[0].Header("webhook-id"), greeting.Header("webhook-id"));
        Assert.Equal("demo.greeting.sent", (string?)greeting.Json["event_type"]);
        Assert.False(string.IsNullOrEmpty(greeting.Header("webhook-id")));

        // The history is in the database too: each copy lists the delivery, by its webhook-id, as delivered.
        var deliveryId = greeting.Header("webhook-id")!;
        foreach (var copy in new[] { a, b })
        {
            var history = await UntilAsync(
                async () =>
                {
                    using var listed = await copy.SendAsync(HttpMethod.Get, "/v2/actions/deliveries?status=delivered");
                    return await listed.Content.ReadAsStringAsync();
                },
                body => body.Contains(deliveryId, StringComparison.Ordinal),
                "the copy lists the delivery as delivered");
            Assert.Contains("DELIVERY_STATUS_DELIVERED", history, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sample_TwoProcessesConfiguredByTheEnvironmentAlone_AreOneSystem()
    {
        // The README's commands: the same variables for both copies, each on a port of its own.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__ActionExec"] = ConnectionString,
            ["ActionExec__PostgreSql__Schema"] = _schema,
            ["ActionExec__PostgreSql__PollInterval"] = "00:00:01",
            ["ActionExec__Delivery__LeaseDuration"] = "00:00:05",
            ["ActionExec__Delivery__RetrySchedule__0"] = "00:00:00",
            ["ActionExec__Sample__KeyRingPath"] = _keyRing.FullName,
        };
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Answer("/shout", ReceiverAnswer.Json("""{"name":"ADA"}"""));
        await using var a = await SampleProcess.StartAsync(environment);
        await using var b = await SampleProcess.StartAsync(environment);
        Assert.NotEqual(a.Client.BaseAddress, b.Client.BaseAddress);

        string shout;
        using (var created = await b.SendAsync(
            HttpMethod.Post,
            "/v2beta/actions/targets",
            $$$"""{"name":"shout","endpoint":"{{{receiver.Url("/shout")}}}","timeout":"10s","restCall":{"interruptOnError":true}}"""))
        {
            var text = await created.Content.ReadAsStringAsync();
            Assert.True(created.StatusCode == HttpStatusCode.OK, text);
            shout = (string)JsonNode.Parse(text)!["id"]!;
        }

        using (var set = await a.SendAsync(
            HttpMethod.Put,
            "/v3alpha/executions",
            $$$"""{"condition":{"request":{"method":"/demo.v1.GreeterService/SayHello"}},"targets":["{{{shout}}}"]}"""))
        {
            // A knows the target B created, or the execution would be refused for naming an unknown one.
            Assert.True(set.StatusCode == HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        }

        var answer = await UntilAsync(
            async () =>
            {
                using var response = await b.SendAsync(HttpMethod.Post, SayHello, """{"name": "Ada"}""", key: null);
                return await response.Content.ReadAsStringAsync();
            },
            body => string.Equals(body, """{"message":"Hello, ADA"}""", StringComparison.Ordinal),
            "the copy that did not set the execution runs it");
        Assert.Equal("""{"message":"Hello, ADA"}""", answer);
        Assert.Contains("in PostgreSQL, database actionexec_tests", a.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, a.Output, StringComparison.Ordinal);
    }

    private string ConnectionString => server.ConnectionString + ";Password=" + Password;

    private async Task<SampleHost> StartCopyAsync()
    {
        var host = await SampleHost.StartAsync(
            "--ConnectionStrings:ActionExec=" + ConnectionString,
            "--ActionExec:PostgreSql:Schema=" + _schema,
            "--ActionExec:PostgreSql:PollInterval=00:00:01",
            "--" + WebApiSample.KeyRingPathKey + "=" + _keyRing.FullName);
        _hosts.Add(host);
        return host;
    }

    private static async Task<IReadOnlyList<string>> TargetIdsAsync(SampleHost host)
    {
        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["result"] is JsonArray result ? [.. result.Select(t => (string)t!["id"]!)] : [];
    }

    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > Converged)
            {
                throw new XunitException($"Gave up waiting until {what}.");
            }

            await Task.Delay(50);
        }
    }
}
