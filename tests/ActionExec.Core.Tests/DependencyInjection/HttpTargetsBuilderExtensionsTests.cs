using ActionExec.DependencyInjection;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Http;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace ActionExec.Tests.DependencyInjection;

public sealed class HttpTargetsBuilderExtensionsTests
{
    [Fact]
    public void AddActionExecutions_ClaimsHttpAndHttpsWithTheHttpInvoker()
    {
        using var provider = new ServiceCollection().AddActionExecutions().Services.BuildServiceProvider();
        var registry = provider.GetRequiredService<TargetInvokerRegistry>();
        var invoker = provider.GetRequiredService<HttpTargetInvoker>();

        Assert.Equal(["http", "https"], registry.Schemes.Order(StringComparer.Ordinal));
        Assert.True(registry.TryGet("HTTPS", out var https));
        Assert.Same(invoker, https);
        Assert.True(registry.TryGet("http", out var http));
        Assert.Same(invoker, http);
    }

    [Fact]
    public void AddHttpTargets_CalledTwice_RegistersOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddActionExecutions()
            .AddHttpTargets(o => o.DeniedHosts.Add("a.example"))
            .AddHttpTargets(o => o.DeniedNetworks.Add("10.0.0.0/8"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<HttpTargetOptions>>().Value;
        Assert.Equal(["a.example"], options.DeniedHosts);
        Assert.Equal(["10.0.0.0/8"], options.DeniedNetworks);
        Assert.Equal(2, services.Count(d => d.ImplementationInstance is TargetInvokerRegistration));
        Assert.Single(services, d => d.ServiceType == typeof(HttpTargetInvoker));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<HttpTargetOptions>));
    }

    [Fact]
    public void AddHttpTargets_AfterTheHostClaimedHttps_KeepsTheHostsInvoker()
    {
        var own = Substitute.For<ITargetInvoker>();
        var services = new ServiceCollection();
        services.AddActionExecutions().AddTargetInvoker("https", own).AddHttpTargets();
        using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<TargetInvokerRegistry>();

        Assert.True(registry.TryGet("https", out var https));
        Assert.Same(own, https);
        Assert.True(registry.TryGet("http", out var http));
        Assert.IsType<HttpTargetInvoker>(http);
    }

    [Fact]
    public async Task AddHttpTargets_InvalidOptions_FailWhenTheServicesAreFirstResolvedWithEveryProblem()
    {
        await using var provider = new ServiceCollection()
            .AddActionExecutions()
            .AddHttpTargets(o =>
            {
                o.ClientName = "";
                o.DeniedNetworks.Add("10.0.0.0/40");
            })
            .Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IActionManagement>());

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("HttpTargetOptions.ClientName is empty", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("HttpTargetOptions.DeniedNetworks[0] is '10.0.0.0/40'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTarget_OnTheDefaults_AcceptsHttpsAndRejectsAnUnclaimedScheme()
    {
        await using var provider = new ServiceCollection().AddActionExecutions().Services.BuildServiceProvider();
        var service = provider.GetRequiredService<IActionManagement>();
        var caller = ManagementCaller.ForHost("t");

        await service.CreateTargetAsync(caller, new TargetSpec { Name = "web", Endpoint = "https://hooks.example.com/a", Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(1) });
        var error = await Assert.ThrowsAsync<ActionExecException>(() => service.CreateTargetAsync(
            caller,
            new TargetSpec { Name = "files", Endpoint = "ftp://files.example.com/drop", Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(1) }).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        var violation = Assert.Single(error.Violations);
        Assert.Equal("endpoint", violation.Field);
        Assert.Equal("The endpoint 'ftp://files.example.com/drop' uses the scheme 'ftp', which no target invoker handles; use one of: http, https.", violation.Description);
    }
}
