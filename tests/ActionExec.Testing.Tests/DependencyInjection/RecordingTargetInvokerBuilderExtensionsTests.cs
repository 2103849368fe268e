using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Testing.Tests.DependencyInjection;

public sealed class RecordingTargetInvokerBuilderExtensionsTests
{
    private const string Method = "/pkg.v1.Service/Method";

    [Fact]
    public async Task UseRecordingTargetInvoker_TestEndpoint_IsAnsweredAndRecorded()
    {
        var invoker = new RecordingTargetInvoker();
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions().UseRecordingTargetInvoker(invoker);
        await using var provider = services.BuildServiceProvider();
        await SetUpAsync(provider, RecordingTargetInvoker.EndpointFor("hook"));

        await provider.GetRequiredService<IActionDispatcher>().RunRequestAsync(new FlowContext("t1"), Method, JsonNode.Parse("{}"));

        invoker.Requests.ShouldHaveCalledOnce("hook");
        Assert.Same(invoker, provider.GetRequiredService<RecordingTargetInvoker>());
    }

    [Fact]
    public async Task UseRecordingTargetInvoker_WithHttp_AnswersHttpEndpointsToo()
    {
        var invoker = new RecordingTargetInvoker();
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions().UseRecordingTargetInvoker(invoker, includeHttp: true);
        await using var provider = services.BuildServiceProvider();

        // Loopback, which the endpoint policy denies by default: had the recording invoker not answered, nothing would connect.
        await SetUpAsync(provider, "http://127.0.0.1:9/hook");

        await provider.GetRequiredService<IActionDispatcher>().RunRequestAsync(new FlowContext("t1"), Method, JsonNode.Parse("{}"));

        Assert.Equal(new Uri("http://127.0.0.1:9/hook"), invoker.Requests.ShouldHaveCalledOnce("hook").Endpoint);
    }

    [Fact]
    public void UseRecordingTargetInvoker_NullInvoker_Throws()
    {
        var builder = new ServiceCollection().AddActionExecutions();

        Assert.Throws<ArgumentNullException>("invoker", () => builder.UseRecordingTargetInvoker(null!));
    }

    private static async Task SetUpAsync(IServiceProvider provider, string endpoint)
    {
        var management = provider.GetRequiredService<IActionManagement>();
        var caller = ManagementCaller.ForHost("t1");
        var target = await management.CreateTargetAsync(caller, new TargetSpec { Name = "hook", Endpoint = endpoint, Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(5), InterruptOnError = true });
        await management.SetExecutionAsync(caller, Condition.RequestMethod(Method), [ExecutionEntry.ForTarget(target.Target.Id)]);
    }
}
