using ActionExec.Catalog;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Http;
using ActionExec.Storage;
using Microsoft.Extensions.Configuration;
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
        var caller = ManagementCaller.ForHost("t");

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
        Assert.Equal(
            ["ActionCatalogValidator", "ActionExecutionOptionsValidator"],
            services.Where(d => d.ServiceType == typeof(IValidateOptions<ActionExecutionOptions>)).Select(d => d.ImplementationType!.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void InvalidOptions_FailWithEveryProblemListed()
    {
        using var provider = new ServiceCollection()
            .AddActionExecutions(o =>
            {
                o.MaxIncludeDepth = -1;
                o.MaxTargetTimeout = TimeSpan.Zero;
                o.PermissionClaimType = " ";
                o.TenantIdleTimeout = TimeSpan.FromMilliseconds(500);
            })
            .Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ActionEngine>());

        Assert.Equal(4, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("ActionExecutionOptions.TenantIdleTimeout is 00:00:00.5000000; give at least 00:00:01", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("ActionExecutionOptions.PermissionClaimType is empty;", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxIncludeDepth is -1", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxTargetTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void AddActionExecutions_InfiniteTenantIdleTimeout_IsValidAndKeepsTenantsForEver()
    {
        using var provider = new ServiceCollection().AddActionExecutions(o => o.TenantIdleTimeout = Timeout.InfiniteTimeSpan).Services.BuildServiceProvider();

        Assert.Equal(Timeout.InfiniteTimeSpan, provider.GetRequiredService<ActionEngine>().Options.TenantIdleTimeout);
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
        var error = await Assert.ThrowsAsync<ActionExecException>(() => service.SetExecutionAsync(ManagementCaller.ForHost("t"), Condition.RequestMethod("/a.S/Other"), []).AsTask());
        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
    }

    [Fact]
    public void UseStore_ReplacesTheDefault()
    {
        var store = new InMemoryActionStore();
        using var provider = new ServiceCollection().AddActionExecutions().UseStore(store).Services.BuildServiceProvider();

        Assert.Same(store, provider.GetRequiredService<IActionStore>());
    }

    [Fact]
    public void AddActionExecutions_Configuration_BindsEveryOptionsClassFromItsSection()
    {
        using var provider = ProviderFrom(new Dictionary<string, string?>
        {
            ["ActionExec:MaxIncludeDepth"] = "4",
            ["ActionExec:MaxTargetTimeout"] = "00:01:30",
            ["ActionExec:MatchPolicy"] = "Cascade",
            ["ActionExec:ActionsEnabled"] = "false",
            ["ActionExec:TenantIdleTimeout"] = "00:05:00",
            ["ActionExec:Dispatch:MaxResponseBytes"] = "2048",
            ["ActionExec:Dispatch:HeaderAllowList:0"] = "X-Tenant",
            ["ActionExec:Delivery:RetrySchedule:0"] = "00:00:00",
            ["ActionExec:Delivery:RetrySchedule:1"] = "00:00:05",
            ["ActionExec:Delivery:MaxAge"] = "01:00:00",
            ["ActionExec:Delivery:Capacity"] = "50",
            ["ActionExec:Delivery:EnqueueTimeout"] = "00:00:01",
            ["ActionExec:Delivery:DrainTimeout"] = "00:00:10",
            ["ActionExec:Delivery:Workers"] = "4",
            ["ActionExec:Delivery:LeaseDuration"] = "00:00:05",
            ["ActionExec:Delivery:LeaseBatchSize"] = "16",
            ["ActionExec:Delivery:HistoryRetention"] = "2.00:00:00",
            ["ActionExec:Delivery:HistoryCapacity"] = "500",
            ["ActionExec:Delivery:RecordBodies"] = "true",
            ["ActionExec:HttpTargets:ClientName"] = "Hooks",
            ["ActionExec:HttpTargets:DeniedHosts:0"] = "metadata.internal",
            ["ActionExec:HttpTargets:DeniedNetworks:0"] = "203.0.113.0/24",
            ["ActionExec:HttpTargets:AllowedNetworks:0"] = "10.0.0.0/8",
            ["ActionExec:HttpTargets:AllowedNetworks:1"] = "fc00::/7",
        });

        var actions = provider.GetRequiredService<IOptions<ActionExecutionOptions>>().Value;
        Assert.Equal(4, actions.MaxIncludeDepth);
        Assert.Equal(TimeSpan.FromSeconds(90), actions.MaxTargetTimeout);
        Assert.Equal(MatchPolicy.Cascade, actions.MatchPolicy);
        Assert.False(actions.ActionsEnabled);
        Assert.Equal(TimeSpan.FromMinutes(5), actions.TenantIdleTimeout);
        var dispatch = provider.GetRequiredService<IOptions<DispatchOptions>>().Value;
        Assert.Equal(2048, dispatch.MaxResponseBytes);
        Assert.Contains("X-Tenant", dispatch.HeaderAllowList);
        Assert.Contains("Content-Type", dispatch.HeaderAllowList);
        var delivery = provider.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(5)], delivery.RetrySchedule);
        Assert.Equal(TimeSpan.FromHours(1), delivery.MaxAge);
        Assert.Equal(50, delivery.Capacity);
        Assert.Equal(TimeSpan.FromSeconds(1), delivery.EnqueueTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), delivery.DrainTimeout);
        Assert.Equal(4, delivery.Workers);
        Assert.Equal(TimeSpan.FromSeconds(5), delivery.LeaseDuration);
        Assert.Equal(16, delivery.LeaseBatchSize);
        Assert.Equal(TimeSpan.FromDays(2), delivery.HistoryRetention);
        Assert.Equal(500, delivery.HistoryCapacity);
        Assert.True(delivery.RecordBodies);
        var http = provider.GetRequiredService<IOptions<HttpTargetOptions>>().Value;
        Assert.Equal("Hooks", http.ClientName);
        Assert.Equal(["metadata.internal"], http.DeniedHosts);
        Assert.Equal(["203.0.113.0/24"], http.DeniedNetworks);
        Assert.Equal(["10.0.0.0/8", "fc00::/7"], http.AllowedNetworks);
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void AddActionExecutions_ConfiguredRetrySchedule_ReplacesTheDefaultSchedule()
    {
        using var provider = ProviderFrom(new Dictionary<string, string?> { ["ActionExec:Delivery:RetrySchedule:0"] = "00:00:02" });

        Assert.Equal([TimeSpan.FromSeconds(2)], provider.GetRequiredService<IOptions<DeliveryOptions>>().Value.RetrySchedule);
    }

    [Fact]
    public void AddActionExecutions_EmptySection_KeepsEveryDefault()
    {
        using var provider = ProviderFrom([]);

        Assert.Equal(DeliveryOptions.DefaultRetrySchedule, provider.GetRequiredService<IOptions<DeliveryOptions>>().Value.RetrySchedule);
        Assert.Equal(2, provider.GetRequiredService<IOptions<DeliveryOptions>>().Value.Workers);
        Assert.Empty(provider.GetRequiredService<IOptions<HttpTargetOptions>>().Value.AllowedNetworks);
        Assert.Equal(2, provider.GetRequiredService<IOptions<ActionExecutionOptions>>().Value.MaxIncludeDepth);
    }

    [Fact]
    public void AddActionExecutions_EnvironmentVariables_BindWithDoubleUnderscoreKeys()
    {
        var prefix = $"ACTIONEXEC_TEST_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "ActionExec__Delivery__Workers", "4");
        Environment.SetEnvironmentVariable(prefix + "ActionExec__HttpTargets__AllowedNetworks__0", "127.0.0.0/8");
        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "ActionExec__Delivery__Workers", null);
            Environment.SetEnvironmentVariable(prefix + "ActionExec__HttpTargets__AllowedNetworks__0", null);
        }

        using var provider = new ServiceCollection().AddActionExecutions(configuration.GetSection("ActionExec")).Services.BuildServiceProvider();

        Assert.Equal(4, provider.GetRequiredService<IOptions<DeliveryOptions>>().Value.Workers);
        Assert.Equal(["127.0.0.0/8"], provider.GetRequiredService<IOptions<HttpTargetOptions>>().Value.AllowedNetworks);
    }

    [Fact]
    public void AddActionExecutions_ConfigurationAndCode_CodeRunsAfterTheBinding()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ActionExec:MaxIncludeDepth"] = "4" }).Build();

        using var provider = new ServiceCollection()
            .AddActionExecutions(configuration.GetSection("ActionExec"), o => o.MaxIncludeDepth++)
            .Services.BuildServiceProvider();

        Assert.Equal(5, provider.GetRequiredService<IOptions<ActionExecutionOptions>>().Value.MaxIncludeDepth);
    }

    [Fact]
    public void AddActionExecutions_BadConfiguredValues_FailAtStartListingEveryViolationWithItsConfigurationKey()
    {
        using var provider = ProviderFrom(new Dictionary<string, string?>
        {
            ["ActionExec:MaxIncludeDepth"] = "99",
            ["ActionExec:Dispatch:MaxResponseBytes"] = "0",
            ["ActionExec:Delivery:Workers"] = "0",
            ["ActionExec:Delivery:RetrySchedule:0"] = "00:00:00",
            ["ActionExec:Delivery:RetrySchedule:1"] = "-00:00:05",
            ["ActionExec:HttpTargets:AllowedNetworks:0"] = "intranet",
        });

        var failures = StartupFailures(provider);

        Assert.Equal(5, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("ActionExecutionOptions.MaxIncludeDepth (configuration key ActionExec:MaxIncludeDepth) is 99; give a value from 0 to 32", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("DispatchOptions.MaxResponseBytes (configuration key ActionExec:Dispatch:MaxResponseBytes) is 0;", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("DeliveryOptions.Workers (configuration key ActionExec:Delivery:Workers) is 0; give a value from 1 to 256", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("DeliveryOptions.RetrySchedule[1] (configuration key ActionExec:Delivery:RetrySchedule:1) is -00:00:05;", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("HttpTargetOptions.AllowedNetworks[0] (configuration key ActionExec:HttpTargets:AllowedNetworks:0) is 'intranet', which is not a network in CIDR notation;", StringComparison.Ordinal));
    }

    [Fact]
    public void AddActionExecutions_ValueThatDoesNotConvert_FailsAtStartNamingTheKey()
    {
        using var provider = ProviderFrom(new Dictionary<string, string?> { ["ActionExec:Delivery:MaxAge"] = "a day" });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("'ActionExec:Delivery:MaxAge'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ActionExec:Delivery:Worker", "Worker")]
    [InlineData("ActionExec:Dispatch:MaxResponseByte", "MaxResponseByte")]
    [InlineData("ActionExec:HttpTargets:AllowNetworks:0", "AllowNetworks")]
    public void AddActionExecutions_MisspeltKeyInASubSection_FailsAtStartNamingIt(string key, string name)
    {
        using var provider = ProviderFrom(new Dictionary<string, string?> { [key] = "1" });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddActionExecutions_OtherKeysAtTheRoot_AreLeftToTheirOwners()
    {
        using var provider = ProviderFrom(new Dictionary<string, string?> { ["ActionExec:Sample:AdminKey"] = "k", ["ActionExec:Api:DefaultTenantId"] = "t" });

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void AddActionExecutions_NullConfiguration_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddActionExecutions((IConfiguration)null!));

        Assert.Equal("configuration", error.ParamName);
    }

    [Fact]
    public void AddCatalog_MalformedEntries_FailAtStartNamingEachEntryAndTheExpectedForm()
    {
        using var provider = new ServiceCollection()
            .AddActionExecutions()
            .AddCatalog(c => c.AddMethods("/ok.v1.Service/Method", "not a method", "Greet").AddEvents("user.*"))
            .Services.BuildServiceProvider();

        var failures = StartupFailures(provider);

        var entries = failures.Select(f => f.Split(' ')[3]).Distinct().ToList();
        Assert.Equal(["catalog.methods[1]", "catalog.methods[2]", "catalog.events[0]"], entries);
        Assert.All(failures, f => Assert.StartsWith("The catalog entry catalog.", f, StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("The catalog entry catalog.methods[2] is malformed: The method 'Greet'", StringComparison.Ordinal) && f.Contains("'/pkg.v1.Service/Method'", StringComparison.Ordinal));
    }

    [Fact]
    public void AddCatalog_WellFormedEntries_PassTheStartCheck()
    {
        using var provider = new ServiceCollection()
            .AddActionExecutions()
            .AddCatalog(c => c.AddMethods("/ok.v1.Service/Method").AddEvents("user.added").AddFunctions("preuserinfo"))
            .Services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    private static ServiceProvider ProviderFrom(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddActionExecutions(configuration.GetSection("ActionExec")).Services.BuildServiceProvider();
    }

    /// <summary>What the host would report when it starts: every options class's failures, in order.</summary>
    private static List<string> StartupFailures(ServiceProvider provider)
    {
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var errors = error is AggregateException aggregate ? aggregate.InnerExceptions : [error];
        return [.. errors.Cast<OptionsValidationException>().SelectMany(e => e.Failures)];
    }
}
