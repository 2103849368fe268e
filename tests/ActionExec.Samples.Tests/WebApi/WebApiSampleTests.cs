using System.Net;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore;
using ActionExec.Delivery;
using ActionExec.PostgreSql;
using ActionExec.Samples.Tests.Support;
using ActionExec.Samples.WebApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Grpc.Core;
using ActionExec.Samples.WebApi.Demo.V1;
using ActionExec.Tests.Support;
using Zitadel.Action.V2Beta;
using static ActionExec.Samples.Tests.Support.ErrorAssert;

namespace ActionExec.Samples.Tests.WebApi;

public sealed class WebApiSampleTests
{
    [Fact]
    public async Task Build_Started_LogsTheAddressesItListensOnInOneInformationLine()
    {
        await using var host = await SampleHost.StartAsync();

        var address = host.Client.BaseAddress!.ToString().TrimEnd('/');
        var grpcAddress = host.GrpcAddress.ToString().TrimEnd('/');
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        Assert.StartsWith("http://127.0.0.1:", grpcAddress, StringComparison.Ordinal);
        var line = Assert.Single(host.Logs.Records, r => string.Equals(r.Category, WebApiSample.LogCategory, StringComparison.Ordinal) && r.EventId.Id == 1);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(
            $"The ActionExec WebApi sample listens on {address}: the management API under /v2 (ZITADEL's GA routes and the delivery history), /v2beta and /v3alpha, the payload keys at /.well-known/actionexec/jwks.json, the dashboard at /actions/, the demo API under /demo.v1 as JSON and gRPC-Web; and on {grpcAddress} over HTTP/2: the demo API as gRPC.",
            line.Message);
    }

    [Fact]
    public async Task Build_NoConnectionString_LogsThatItKeepsEverythingInMemory()
    {
        await using var host = await SampleHost.StartAsync();

        var line = Assert.Single(host.Logs.Records, r => string.Equals(r.Category, WebApiSample.LogCategory, StringComparison.Ordinal) && r.EventId.Id != 1);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(2, line.EventId.Id);
        Assert.False(WebApiSample.UsesPostgreSql(host.App.Configuration));
        Assert.Null(host.App.Services.GetService<IOptions<PostgreSqlStoreOptions>>()?.Value.ConnectionString);
    }

    [Fact]
    public void CreateBuilder_NullArguments_Throws()
    {
        Assert.Throws<ArgumentNullException>("args", () => WebApiSample.CreateBuilder(null!));
    }

    [Fact]
    public async Task CreateApp_EmptyAdminKey_FailsToStartNamingTheSetting()
    {
        string[] args = ["--urls", "http://127.0.0.1:0", "--hostBuilder:reloadConfigOnChange=false", "--ActionExec:Sample:AdminKey=", "--Logging:LogLevel:Default=None"];

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAndStopAsync(args));

        Assert.Equal(
            ["ActionExec:Sample:AdminKey is empty; give the bearer key of the administrator, such as 'admin-dev-key'."],
            error.Failures);
    }

    [Fact]
    public async Task CreateApp_SameKeyForBoth_FailsToStart()
    {
        string[] args = ["--urls", "http://127.0.0.1:0", "--hostBuilder:reloadConfigOnChange=false", "--ActionExec:Sample:ReaderKey=admin-dev-key", "--Logging:LogLevel:Default=None"];

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAndStopAsync(args));

        Assert.Equal(["ActionExec:Sample:AdminKey and ReaderKey are the same key; give each caller its own key."], error.Failures);
    }

    [Theory]
    [InlineData("/v2beta/actions/executions")]
    [InlineData("/v3alpha/executions")]
    public async Task SetExecution_ActionsDisabledByConfiguration_Answers400Code9(string path)
    {
        await using var host = await SampleHost.StartAsync("--ActionExec:Sample:ActionsEnabled=false");

        using var response = await host.SendAsync(
            HttpMethod.Put,
            path,
            """{"condition":{"request":{"method":"/demo.v1.GreeterService/SayHello"}},"targets":[]}""");

        await ErrorAsync(
            response,
            HttpStatusCode.BadRequest,
            9,
            "feature flag actions is not enabled for tenant 'default'; enable the actions feature to use targets and executions.");
    }

    [Fact]
    public async Task SetExecution_ActionsEnabledByDefault_Answers200()
    {
        await using var host = await SampleHost.StartAsync();

        using var response = await host.SendAsync(
            HttpMethod.Put,
            "/v2beta/actions/executions",
            """{"condition":{"request":{"method":"/demo.v1.GreeterService/SayHello"}},"targets":[]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"request":{"method":"/demo.v1.GreeterService/SayHello"}}""")]
    [InlineData("""{"request":{"method":"/demo.v1.GreeterService/SayGoodbye"}}""")]
    [InlineData("""{"request":{"method":"/demo.v1.TokenService/IssueToken"}}""")]
    [InlineData("""{"request":{"service":"demo.v1.GreeterService"}}""")]
    [InlineData("""{"request":{"service":"demo.v1.TokenService"}}""")]
    [InlineData("""{"request":{"all":true}}""")]
    [InlineData("""{"response":{"method":"/demo.v1.GreeterService/SayHello"}}""")]
    [InlineData("""{"response":{"service":"demo.v1.TokenService"}}""")]
    [InlineData("""{"function":{"name":"preaccesstoken"}}""")]
    [InlineData("""{"function":{"name":"preuserinfo"}}""")]
    [InlineData("""{"event":{"event":"demo.greeting.sent"}}""")]
    [InlineData("""{"event":{"event":"demo.token.issued"}}""")]
    [InlineData("""{"event":{"group":"demo.greeting.*"}}""")]
    [InlineData("""{"event":{"group":"demo.token"}}""")]
    [InlineData("""{"event":{"group":"demo"}}""")]
    [InlineData("""{"event":{"all":true}}""")]
    public async Task SetExecution_ConditionInTheCatalog_Answers200(string condition)
    {
        await using var host = await SampleHost.StartAsync();
        var target = await host.CreateTargetAsync("hook");

        using var response = await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", $$"""{"condition":{{condition}},"targets":["{{target}}"]}""");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(
        """{"request":{"method":"/demo.v1.GreeterService/SayHowdy"}}""",
        "condition.request.method",
        "condition does not exist: the method '/demo.v1.GreeterService/SayHowdy' is not known to this host; check the spelling or register the method in the catalog.")]
    [InlineData(
        """{"response":{"service":"demo.v1.UserService"}}""",
        "condition.response.service",
        "condition does not exist: the service 'demo.v1.UserService' is not known to this host; check the spelling or register a method of that service in the catalog.")]
    [InlineData(
        """{"function":{"name":"postaccesstoken"}}""",
        "condition.function.name",
        "condition does not exist: the function 'postaccesstoken' is not known to this host; check the spelling or register the function in the catalog.")]
    [InlineData(
        """{"event":{"event":"demo.greeting.received"}}""",
        "condition.event.event",
        "condition does not exist: the event type 'demo.greeting.received' is not known to this host; check the spelling or register the event type in the catalog.")]
    [InlineData(
        """{"event":{"group":"user.human"}}""",
        "condition.event.group",
        "condition does not exist: the event group 'user.human' is not known to this host; check the spelling or register an event type below that group in the catalog.")]
    public async Task SetExecution_ConditionNotInTheCatalog_Answers400Code3(string condition, string field, string description)
    {
        await using var host = await SampleHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Put, "/v2beta/actions/executions", $$"""{"condition":{{condition}},"targets":[]}""");

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest, 3, $"{field}: {description}");
        Assert.Equal([(field, description)], Violations(error));
    }

    [Fact]
    public async Task Explain_SayHelloWithAnExecution_NamesTheMatchedExecution()
    {
        await using var host = await SampleHost.StartAsync();
        var target = await host.CreateTargetAsync("hook");
        await host.SetExecutionAsync("""{"request":{"service":"demo.v1.GreeterService"}}""", target);

        using var response = await host.SendAsync(
            HttpMethod.Get,
            "/v2beta/actions/executions/match?kind=request&value=/demo.v1.GreeterService/SayHello",
            key: SampleHost.ReaderKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var explanation = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("""{"request":{"service":"demo.v1.GreeterService"}}""", explanation["matched"]!.ToJsonString());
        Assert.Equal("service", (string?)explanation["level"]);
        Assert.Equal(target, (string?)explanation["targets"]![0]!["id"]);
    }

    [Fact]
    public async Task DeliveryHistory_Greeting_ListedForTheReaderAndReplayedByTheAdminWithTheSameWebhookId()
    {
        await using var host = await SampleHost.StartAsync();
        var events = await host.CreateTargetAsync("events");
        await host.SetExecutionAsync("""{"event":{"group":"demo.greeting.*"}}""", events);
        var delivered = host.NextRequestTo("/events");
        using (var hello = await host.CallAsync("/demo.v1.GreeterService/SayHello", """{"name": "Ada"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        }

        var id = (await delivered.WaitAsync(TimeSpan.FromSeconds(20))).Header("webhook-id");
        JsonNode? listed = null;
        for (var tries = 0; tries < 400 && !string.Equals((string?)listed?["status"], "DELIVERY_STATUS_DELIVERED", StringComparison.Ordinal); tries++)
        {
            await Task.Delay(50);
            using var list = await host.SendAsync(HttpMethod.Get, "/v2/actions/deliveries?status=delivered", key: SampleHost.ReaderKey);
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            listed = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["result"]!.AsArray().SingleOrDefault();
        }

        Assert.Equal(id, (string?)listed?["id"]);
        Assert.Equal("event/demo.greeting.sent", (string?)listed!["source"]);
        var again = host.NextRequestTo("/events");
        using var replay = await host.SendAsync(HttpMethod.Post, $"/v2/actions/deliveries/{id}/replay");

        Assert.True(replay.StatusCode == HttpStatusCode.OK, await replay.Content.ReadAsStringAsync());
        Assert.Equal(id, (await again.WaitAsync(TimeSpan.FromSeconds(20))).Header("webhook-id"));
    }

    [Fact]
    public async Task ExecuteAction_TargetByName_RunsItAgainstTheSyntheticRequest()
    {
        await using var host = await SampleHost.StartAsync();
        await host.CreateTargetAsync("events");
        var received = host.NextRequestTo("/events");

        using var response = await host.SendAsync(HttpMethod.Post, "/backend/action/execute/events", """{"method":"POST","parameters":"page=2","body":{"name":"Ada"}}""");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(200, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["statusCode"]!);
        var sent = (await received).Json;
        Assert.Equal("2", (string?)sent["parameters"]!["page"]);
        Assert.Equal("""{"name":"Ada"}""", sent["body"]!.ToJsonString());
    }

    [Fact]
    public async Task CreateBuilder_DeliveryWorkersFromTheEnvironment_AreBound()
    {
        // WebApplication reads the environment when the builder is created; the variable is removed again at once.
        const string Variable = "ActionExec__Delivery__Workers";
        WebApplicationBuilder builder;
        Environment.SetEnvironmentVariable(Variable, "4");
        try
        {
            builder = WebApiSample.CreateBuilder(["--urls", "http://127.0.0.1:0", "--hostBuilder:reloadConfigOnChange=false", "--Logging:LogLevel:Default=None"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }

        await using var app = WebApiSample.Build(builder);

        Assert.Equal(4, app.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value.Workers);
    }

    [Fact]
    public async Task CreateBuilder_PostgreSqlAndDeliverySettingsFromTheEnvironment_AreBound()
    {
        // As the README's "Running several instances" sets them. The connection string comes as an argument, so that no other
        // test building the sample meanwhile could pick it up; it is read through the same configuration.
        (string Name, string Value)[] variables =
        [
            ("ActionExec__Delivery__RetrySchedule__0", "00:00:00"),
            ("ActionExec__Delivery__LeaseDuration", "00:00:05"),
            ("ActionExec__PostgreSql__PollInterval", "00:00:01"),
        ];
        WebApplicationBuilder builder;
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            builder = WebApiSample.CreateBuilder([
                "--urls", "http://127.0.0.1:0", "--hostBuilder:reloadConfigOnChange=false", "--Logging:LogLevel:Default=None",
                "--ConnectionStrings:ActionExec=Host=127.0.0.1;Port=5432;Database=sample;Username=sample"]);
        }
        finally
        {
            foreach (var (name, _) in variables)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }

        await using var app = WebApiSample.Build(builder);

        Assert.True(WebApiSample.UsesPostgreSql(app.Configuration));
        var postgreSql = app.Services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(1), postgreSql.PollInterval);
        Assert.Equal("Host=127.0.0.1;Port=5432;Database=sample;Username=sample", postgreSql.ConnectionString);
        var delivery = app.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        Assert.Equal([TimeSpan.Zero], delivery.RetrySchedule);
        Assert.Equal(TimeSpan.FromSeconds(5), delivery.LeaseDuration);
    }

    [Fact]
    public async Task CreateApp_BadPostgreSqlSetting_FailsToStartNamingTheConfigurationKey()
    {
        string[] args = [
            "--urls", "http://127.0.0.1:0", "--hostBuilder:reloadConfigOnChange=false", "--Logging:LogLevel:Default=None",
            "--ConnectionStrings:ActionExec=Host=127.0.0.1;Port=5432;Database=sample;Username=sample", "--ActionExec:PostgreSql:PollInterval=00:00:00"];

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAndStopAsync(args));

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith("PostgreSqlStoreOptions.PollInterval (configuration key ActionExec:PostgreSql:PollInterval) is 00:00:00;", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateApp_BadActionExecSettings_FailToStartNamingEachConfigurationKey()
    {
        string[] args = ["--urls", "http://127.0.0.1:0", "--hostBuilder:reloadConfigOnChange=false", "--ActionExec:Delivery:Workers=0", "--ActionExec:Delivery:Capacity=0", "--Logging:LogLevel:Default=None"];

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAndStopAsync(args));

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("DeliveryOptions.Workers (configuration key ActionExec:Delivery:Workers) is 0;", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("DeliveryOptions.Capacity (configuration key ActionExec:Delivery:Capacity) is 0;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateApp_ApiSettingsFromConfiguration_AreBound()
    {
        await using var app = WebApiSample.CreateApp(["--urls", "http://127.0.0.1:0", "--hostBuilder:reloadConfigOnChange=false", "--ActionExec:Api:MaxRequestBodyBytes=2048", "--Logging:LogLevel:Default=None"]);

        Assert.Equal(2048, app.Services.GetRequiredService<IOptions<ActionExecutionsApiOptions>>().Value.MaxRequestBodyBytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SetExecution_OverGrpcWithTheAdminKey_RunsOnTheJsonGrpcAndGrpcWebCalls(bool grpcWeb)
    {
        await using var host = await SampleHost.StartAsync();
        host.Receiver.Answer("/hook", ReceiverAnswer.Json("{}"));
        var hook = await host.CreateTargetAsync("hook");
        var set = new SetExecutionRequest
        {
            Condition = new Condition { Request = new RequestExecution { Method = "/demo.v1.GreeterService/SayHello" } },
            Targets = { new ExecutionTargetType { Target = hook } },
        };

        await host.Actions(grpcWeb).SetExecutionAsync(set, SampleHost.Bearer(SampleHost.AdminKey));
        using var json = await host.CallAsync("/demo.v1.GreeterService/SayHello", """{"name": "Ada"}""");
        await host.Greeter.SayHelloAsync(new SayHelloRequest { Name = "Ada" });
        await host.WebGreeter.SayHelloAsync(new SayHelloRequest { Name = "Ada" });

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal(3, host.Receiver.RequestsTo("/hook").Count);
    }

    [Theory]
    [InlineData(SampleHost.ReaderKey, StatusCode.PermissionDenied)]
    [InlineData("not-a-key", StatusCode.Unauthenticated)]
    public async Task SetExecution_OverGrpcWithoutTheWritePermission_FailsAndNothingChanges(string key, StatusCode expected)
    {
        await using var host = await SampleHost.StartAsync();
        var set = new SetExecutionRequest { Condition = new Condition { Request = new RequestExecution { All = true } } };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Actions().SetExecutionAsync(set, SampleHost.Bearer(key)));

        Assert.Equal(expected, error.StatusCode);
        var executions = await host.Actions().ListExecutionsAsync(new ListExecutionsRequest(), SampleHost.Bearer(SampleHost.ReaderKey));
        Assert.Empty(executions.Result);
    }

    [Fact]
    public async Task ListExecutionMethods_OverGrpc_ListsTheDemoMethodsOnceAndNotTheManagementOnes()
    {
        await using var host = await SampleHost.StartAsync();

        // Each demo method is declared twice, by its marked JSON route and by its gRPC service.
        var methods = await host.Actions().ListExecutionMethodsAsync(new ListExecutionMethodsRequest(), SampleHost.Bearer(SampleHost.ReaderKey));
        var services = await host.Actions().ListExecutionServicesAsync(new ListExecutionServicesRequest(), SampleHost.Bearer(SampleHost.ReaderKey));

        Assert.Equal(["/demo.v1.GreeterService/SayGoodbye", "/demo.v1.GreeterService/SayHello", "/demo.v1.TokenService/IssueToken"], methods.Methods);
        Assert.Equal(["demo.v1.GreeterService", "demo.v1.TokenService"], services.Services);
    }

    private static async Task StartAndStopAsync(string[] args)
    {
        await using var app = WebApiSample.CreateApp(args);
        await app.StartAsync();
        await app.StopAsync();
    }
}
