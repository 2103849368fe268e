using System.Security.Claims;
using ActionExec.Errors;
using ActionExec.Management;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace ActionExec.AspNetCore.Tests.DependencyInjection;

public sealed class ActionExecutionsApiBuilderExtensionsTests
{
    [Fact]
    public void AddActionExecutionsApi_Defaults_RegistersOptionsTenantAndKeepsTheCoreChecker()
    {
        var core = new ServiceCollection().AddLogging();
        core.AddActionExecutions();
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions().AddActionExecutionsApi();
        using var provider = services.BuildServiceProvider();

        var checker = Assert.Single(services, d => d.ServiceType == typeof(IActionPermissionChecker));
        Assert.Equal(Assert.Single(core, d => d.ServiceType == typeof(IActionPermissionChecker)).ImplementationType, checker.ImplementationType);
        Assert.IsType<OptionsTenantResolver>(provider.GetRequiredService<IActionTenantResolver>());
        var options = provider.GetRequiredService<IOptions<ActionExecutionsApiOptions>>().Value;
        Assert.Equal(1024 * 1024, options.MaxRequestBodyBytes);
        Assert.Equal("default", options.DefaultTenantId);
    }

    [Fact]
    public void AddActionExecutionsApi_Twice_RegistersOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection().AddLogging();
        var builder = services.AddActionExecutions();
        builder.AddActionExecutionsApi(o => o.MaxRequestBodyBytes = 10);
        builder.AddActionExecutionsApi(o => o.DefaultTenantId = "tenant-7");
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ActionExecutionsApiOptions>>().Value;
        Assert.Equal(10, options.MaxRequestBodyBytes);
        Assert.Equal("tenant-7", options.DefaultTenantId);
        Assert.Single(services, d => d.ServiceType == typeof(IActionPermissionChecker));
        Assert.Single(services, d => d.ServiceType == typeof(IActionTenantResolver));
        Assert.Single(services, d => d.ServiceType == typeof(ExecutionInterceptor));
        Assert.Single(services, d => d.ServiceType == typeof(ActionExecutionsApiHandlers));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ActionExecutionsApiOptions>));
    }

    [Fact]
    public void AddActionExecutionsApi_HostCheckerBefore_KeepsIt()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions().UsePermissionChecker<DenyAll>().AddActionExecutionsApi();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<DenyAll>(provider.GetRequiredService<IActionPermissionChecker>());
    }

    [Fact]
    public void AddActionExecutionsApi_HostCheckerAfter_KeepsIt()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions().AddActionExecutionsApi().UsePermissionChecker<DenyAll>().AddActionExecutionsApi();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<DenyAll>(provider.GetRequiredService<IActionPermissionChecker>());
    }

    [Fact]
    public void UseTenantResolver_Instance_ReplacesTheDefault()
    {
        var resolver = Substitute.For<IActionTenantResolver>();
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions().AddActionExecutionsApi().UseTenantResolver(resolver);
        using var provider = services.BuildServiceProvider();

        Assert.Same(resolver, provider.GetRequiredService<IActionTenantResolver>());
    }

    [Fact]
    public void Options_Invalid_FailListingEveryProblem()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions().AddActionExecutionsApi(o => o.MaxRequestBodyBytes = 0);
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ActionExecutionsApiOptions>>().Value);

        Assert.Equal(
            [$"ActionExecutionsApiOptions.MaxRequestBodyBytes is 0; give a value from 1 to {Array.MaxLength} (the default is 1048576)."],
            exception.Failures);
    }

    [Fact]
    public void MapActionExecutionsApi_NotRegistered_ThrowsSayingWhatToCall()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapActionExecutionsApi());

        Assert.Equal(
            "The actions API is not registered; call services.AddActionExecutions().AddActionExecutionsApi() before mapping it with MapActionExecutionsApi().",
            exception.Message);
    }

    [Fact]
    public void UseActionExecutions_NotRegistered_ThrowsSayingWhatToCall()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        var exception = Assert.Throws<InvalidOperationException>(() => app.UseActionExecutions());

        Assert.Equal(
            "The actions middleware is not registered; call services.AddActionExecutions().AddActionExecutionsApi() before UseActionExecutions().",
            exception.Message);
    }

    [Fact]
    public void MapActionExecutionsApi_Registered_MapsEveryRoute()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddActionExecutions().AddActionExecutionsApi();
        var app = builder.Build();

        app.MapActionExecutionsApi();

        var routes = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(d => d.Endpoints)
            .Cast<RouteEndpoint>()
            .Select(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Single() + " " + e.RoutePattern.RawText)
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "DELETE /v2/actions/targets/{id}",
                "DELETE /v2/actions/targets/{target_id}/publickeys/{key_id}",
                "DELETE /v2beta/actions/targets/{id}",
                "GET /v2/actions/deliveries",
                "GET /v2/actions/deliveries/{id}",
                "GET /v2/actions/executions/events",
                "GET /v2/actions/executions/functions",
                "GET /v2/actions/executions/groups",
                "GET /v2/actions/executions/methods",
                "GET /v2/actions/executions/services",
                "GET /v2/actions/targets/{id}",
                "GET /v2beta/actions/executions",
                "GET /v2beta/actions/executions/match",
                "GET /v2beta/actions/targets",
                "GET /v2beta/actions/targets/{id}",
                "PATCH /v2beta/actions/targets/{id}",
                "POST /backend/action/execute/{action_id}",
                "POST /v2/actions/deliveries/replay",
                "POST /v2/actions/deliveries/{id}/replay",
                "POST /v2/actions/executions/search",
                "POST /v2/actions/targets",
                "POST /v2/actions/targets/search",
                "POST /v2/actions/targets/{id}",
                "POST /v2/actions/targets/{target_id}/publickeys",
                "POST /v2/actions/targets/{target_id}/publickeys/search",
                "POST /v2/actions/targets/{target_id}/publickeys/{key_id}/activate",
                "POST /v2/actions/targets/{target_id}/publickeys/{key_id}/deactivate",
                "POST /v2beta/actions/targets",
                "POST /v2beta/actions/targets/{id}/signing-key",
                "PUT /v2/actions/executions",
                "PUT /v2beta/actions/executions",
                "PUT /v3alpha/executions",
            ],
            routes);
    }

    [Fact]
    public async Task AddActionExecutionsApi_HostCaller_IsNotChecked()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions().AddActionExecutionsApi();
        await using var provider = services.BuildServiceProvider();

        var listed = await provider.GetRequiredService<IActionManagement>().ListExecutionsAsync(ManagementCaller.ForHost("my-tenant"));

        Assert.Empty(listed);
    }

    [Fact]
    public async Task AddActionExecutionsApi_UserCallerWithoutTheClaim_FailsWithPermissionDenied()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions().AddActionExecutionsApi();
        await using var provider = services.BuildServiceProvider();
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("permission", ActionPermissions.TargetRead)], "Test"));

        var error = await Assert.ThrowsAsync<ActionExecException>(
            () => provider.GetRequiredService<IActionManagement>().ListExecutionsAsync(ManagementCaller.ForUser("my-tenant", user)).AsTask());

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
    }

    private sealed class DenyAll : IActionPermissionChecker
    {
        public ValueTask<bool> HasPermissionAsync(ManagementCaller caller, string permission, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    [Fact]
    public void AddActionExecutionsApi_Configuration_BindsTheApiOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActionExec:Api:MaxRequestBodyBytes"] = "4096",
            ["ActionExec:Api:DefaultTenantId"] = "tenant-7",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions(configuration.GetSection("ActionExec")).AddActionExecutionsApi(configuration.GetSection("ActionExec:Api"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ActionExecutionsApiOptions>>().Value;
        Assert.Equal(4096, options.MaxRequestBodyBytes);
        Assert.Equal("tenant-7", options.DefaultTenantId);
    }

    [Fact]
    public void AddActionExecutionsApi_BadConfiguredValues_FailAtStartNamingEachConfigurationKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActionExec:Api:MaxRequestBodyBytes"] = "0",
            ["ActionExec:Api:PermissionClaimType"] = " ",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions().AddActionExecutionsApi(configuration.GetSection("ActionExec:Api"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("ActionExecutionsApiOptions.MaxRequestBodyBytes (configuration key ActionExec:Api:MaxRequestBodyBytes) is 0;", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("The configuration key ActionExec:Api:PermissionClaimType is no longer read:", StringComparison.Ordinal));
    }

    [Fact]
    public void AddActionExecutions_ConfiguredPermissionClaimType_BindsFromTheActionExecSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActionExec:PermissionClaimType"] = "scope",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions(configuration.GetSection("ActionExec")).AddActionExecutionsApi(configuration.GetSection("ActionExec:Api"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal("scope", provider.GetRequiredService<IOptions<ActionExecutionOptions>>().Value.PermissionClaimType);
    }
}
