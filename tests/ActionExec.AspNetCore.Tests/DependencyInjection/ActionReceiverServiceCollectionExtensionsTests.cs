using ActionExec.AspNetCore.Receiving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActionExec.AspNetCore.Tests.DependencyInjection;

public sealed class ActionReceiverServiceCollectionExtensionsTests
{
    [Fact]
    public void AddActionReceiver_FromConfiguration_BindsEveryKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Receivers:Billing:SigningKeys:0"] = "old-key",
            ["Receivers:Billing:SigningKeys:1"] = "new-key",
            ["Receivers:Billing:Schemes"] = "StandardWebhooks",
            ["Receivers:Billing:Tolerance"] = "00:01:00",
            ["Receivers:Billing:MaxBodyBytes"] = "4096",
        }).Build();
        var services = new ServiceCollection();

        services.AddActionReceiver("billing", configuration.GetSection("Receivers:Billing"));

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptionsMonitor<ActionReceiverOptions>>().Get("billing");
        Assert.Equal(["old-key", "new-key"], options.SigningKeys);
        Assert.Equal(AcceptedSignatureSchemes.StandardWebhooks, options.Schemes);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Tolerance);
        Assert.Equal(4096, options.MaxBodyBytes);
    }

    [Fact]
    public void AddActionReceiver_Twice_AppliesBothAndRegistersOnce()
    {
        var services = new ServiceCollection();

        services.AddActionReceiver(o => o.SigningKeys.Add("old-key"));
        services.AddActionReceiver(o => o.SigningKeys.Add("new-key"));

        using var provider = services.BuildServiceProvider();
        Assert.Equal(["old-key", "new-key"], provider.GetRequiredService<IOptionsMonitor<ActionReceiverOptions>>().Get(Options.DefaultName).SigningKeys);
        Assert.Single(services, d => d.ServiceType == typeof(IActionReplayCache));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ActionReceiverOptions>));
    }

    [Fact]
    public void AddActionReceiver_HostReplayCache_IsKept()
    {
        var services = new ServiceCollection();
        var cache = NSubstitute.Substitute.For<IActionReplayCache>();
        services.AddSingleton(cache);

        services.AddActionReceiver(o => o.SigningKeys.Add("key"));

        using var provider = services.BuildServiceProvider();
        Assert.Same(cache, provider.GetRequiredService<IActionReplayCache>());
    }
}
