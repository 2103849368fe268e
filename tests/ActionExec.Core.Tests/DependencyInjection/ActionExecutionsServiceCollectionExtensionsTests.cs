using ActionExec.Catalog;
using ActionExec.Conditions;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActionExec.Tests.DependencyInjection;

public sealed class ActionExecutionsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddActionExecutions_ResolvesAWorkingServiceOnTheInMemoryDefaults()
    {
        await using var provider = new ServiceCollection().AddActionExecutions().Services.BuildServiceProvider();
        var service = provider.GetRequiredService<IActionManagement>();
        var caller = new ManagementCaller("t");

        var target = await service.CreateTargetAsync(caller, new() { Name = "n", Endpoint = "https://e.example.com", Type = ActionExec.Targets.TargetType.Webhook, Timeout = TimeSpan.FromSeconds(1) });
        await service.SetExecutionAsync(caller, Condition.AllEvents, [ActionExec.Executions.ExecutionEntry.ForTarget(target.Target.Id)]);

        Assert.IsType<InMemoryActionStore>(provider.GetRequiredService<IActionStore>());
        Assert.NotNull(provider.GetRequiredService<ActionEngine>().TryGetSnapshot("t", out var s) ? s.Match(ConditionKind.Event, "a.b") : null);
    }

    [Fact]
    public void AddActionExecutions_CalledTwice_RegistersOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddActionExecutions(o => o.MaxIncludeDepth = 4);
        services.AddActionExecutions(o => o.MatchPolicy = MatchPolicy.Cascade);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ActionExecutionOptions>>().Value;
        Assert.Equal(4, options.MaxIncludeDepth);
        Assert.Equal(MatchPolicy.Cascade, options.MatchPolicy);
        Assert.Single(services, d => d.ServiceType == typeof(ActionEngine));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ActionExecutionOptions>));
    }

    [Fact]
    public void InvalidOptions_FailWithEveryProblemListed()
    {
        using var provider = new ServiceCollection()
            .AddActionExecutions(o =>
            {
                o.MaxIncludeDepth = -1;
                o.MaxTargetTimeout = TimeSpan.Zero;
            })
            .Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ActionEngine>());

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("MaxIncludeDepth is -1", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxTargetTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddCatalog_Accumulates_AndRejectsUnknownConditions()
    {
        await using var provider = new ServiceCollection()
            .AddActionExecutions()
            .AddCatalog(c => c.AddMethods("/a.S/M"))
            .AddCatalog(c => c.AddEvents("user.added"))
            .Services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<ActionCatalog>();
        var service = provider.GetRequiredService<IActionManagement>();

        Assert.True(catalog.Contains(Condition.RequestService("a.S")));
        Assert.True(catalog.Contains(Condition.EventGroup("user")));
        var error = await Assert.ThrowsAsync<ActionExecException>(() => service.SetExecutionAsync(new ManagementCaller("t"), Condition.RequestMethod("/a.S/Other"), []).AsTask());
        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
    }

    [Fact]
    public void UseStore_ReplacesTheDefault()
    {
        var store = new InMemoryActionStore();
        using var provider = new ServiceCollection().AddActionExecutions().UseStore(store).Services.BuildServiceProvider();

        Assert.Same(store, provider.GetRequiredService<IActionStore>());
    }
}
