using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.TestConsole;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NSubstitute;

namespace ActionExec.AspNetCore.Tests.Api;

/// <summary>The routes call the registered <see cref="IActionManagement"/> and <see cref="IActionTestConsole"/>, so a host's replacement is what the HTTP API runs.</summary>
public sealed class ReplacedManagementTests
{
    private static readonly DateTimeOffset When = new(2024, 12, 18, 7, 50, 48, 500, TimeSpan.Zero);

    [Fact]
    public async Task CreateTarget_HostReplacedManagement_CallsTheReplacementWithTheParsedSpec()
    {
        var management = Substitute.For<IActionManagement>();
        var created = new Target { Id = "t-1", Name = "hook", Endpoint = "https://hooks.example.com/a", Type = TargetType.Call, Timeout = TimeSpan.FromSeconds(10), CreationDate = When, ChangeDate = When };
        management.CreateTargetAsync(default!, default!, default).ReturnsForAnyArgs(new CreatedTarget(created, "key-1"));
        await using var host = await ApiHost.StartAsync(configure: b => b.Services.Replace(ServiceDescriptor.Singleton(management)));

        using var response = await host.SendAsync(HttpMethod.Post, "/v2beta/actions/targets", """{"name":"hook","endpoint":"https://hooks.example.com/a","timeout":"10s","restCall":{"interruptOnError":true}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("t-1", (string?)json["id"]);
        Assert.Equal("key-1", (string?)json["signingKey"]);
        await management.Received(1).CreateTargetAsync(
            Arg.Is<ManagementCaller>(c => c.TenantId == ApiHost.Tenant),
            Arg.Is<TargetSpec>(s => s.Name == "hook" && s.Type == TargetType.Call && s.InterruptOnError && s.Timeout == TimeSpan.FromSeconds(10)),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task SetExecution_HostReplacedManagement_CallsTheReplacementWithTheParsedConditionAndEntries()
    {
        var management = Substitute.For<IActionManagement>();
        management.SetExecutionAsync(default!, default!, default!, default).ReturnsForAnyArgs(new SetExecutionResult(new ExecutionDetails(7, When, ApiHost.Tenant), Changed: true));
        await using var host = await ApiHost.StartAsync(configure: b => b.Services.Replace(ServiceDescriptor.Singleton(management)));

        using var response = await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", """{"condition":{"request":{"method":"/pkg.v1.Service/Method"}},"targets":[{"target":"t-1"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("7", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["details"]!["sequence"]);
        await management.Received(1).SetExecutionAsync(
            Arg.Any<ManagementCaller>(),
            Condition.RequestMethod("/pkg.v1.Service/Method"),
            Arg.Is<IReadOnlyList<ExecutionEntry>>(e => e.Count == 1 && e[0] == ExecutionEntry.ForTarget("t-1")),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ListTargets_HostReplacedManagement_AnswersWhatTheReplacementReturns()
    {
        var management = Substitute.For<IActionManagement>();
        var target = new Target { Id = "t-9", Name = "elsewhere", Endpoint = "https://hooks.example.com/b", Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(5), CreationDate = When, ChangeDate = When };
        management.ListTargetsAsync(default!, default).ReturnsForAnyArgs(ImmutableArray.Create(target));
        await using var host = await ApiHost.StartAsync(configure: b => b.Services.Replace(ServiceDescriptor.Singleton(management)));

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!.AsArray();
        Assert.Equal("t-9", (string?)Assert.Single(result)!["id"]);
    }

    [Fact]
    public async Task ExecuteAction_HostReplacedConsole_CallsTheReplacementWithTheParsedRequest()
    {
        var console = Substitute.For<IActionTestConsole>();
        using var answer = JsonDocument.Parse("""{"ok":true}""");
        console.ExecuteAsync(default!, default!, default!, default).ReturnsForAnyArgs(new ConsoleResponse { StatusCode = 201, Body = answer.RootElement.Clone() });
        await using var host = await ApiHost.StartAsync(configure: b => b.Services.Replace(ServiceDescriptor.Singleton(console)));

        using var response = await host.SendAsync(HttpMethod.Post, "/backend/action/execute/hook", """{"method":"POST","body":{"name":"Ada"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(201, (int?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["statusCode"]);
        await console.Received(1).ExecuteAsync(
            Arg.Any<ManagementCaller>(),
            "hook",
            Arg.Is<ConsoleRequest>(r => r.Method == "POST"),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task CreateTarget_WithoutPermission_IsRefusedBeforeTheReplacementIsCalled()
    {
        var management = Substitute.For<IActionManagement>();
        await using var host = await ApiHost.StartAsync(configure: b => b.Services.Replace(ServiceDescriptor.Singleton(management)));

        using var response = await host.SendAsync(HttpMethod.Post, "/v2beta/actions/targets", "not json", key: TestAuthenticationHandler.Reader);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(7, (int?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
        Assert.Empty(management.ReceivedCalls());
    }
}
