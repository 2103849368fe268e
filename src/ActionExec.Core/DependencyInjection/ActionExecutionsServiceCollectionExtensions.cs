using ActionExec;
using ActionExec.TestConsole;
using ActionExec.Delivery;
using ActionExec.DependencyInjection;
using ActionExec.Diagnostics;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Management;
using ActionExec.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ActionExec in a service collection.</summary>
public static class ActionExecutionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine, <see cref="IActionManagement"/>, <see cref="IActionDispatcher"/>, <see cref="IActionTestConsole"/> and their defaults: the in-memory store, a permission checker that
    /// grants everything, the <c>actions</c> feature from the options, an unrestricted catalog and <see cref="TimeProvider.System"/>;
    /// the built-in invoker of <c>http</c> and <c>https</c> targets (configure it with <c>AddHttpTargets</c>); and background
    /// delivery: the in-memory delivery queue and the <see cref="DeliveryWorker"/> as a hosted service.
    /// Safe to call more than once; every call's <paramref name="configure"/> is applied. Options are validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; optional.</param>
    /// <returns>A builder to replace the store, register the catalog, and add the later parts.</returns>
    public static IActionExecutionsBuilder AddActionExecutions(this IServiceCollection services, Action<ActionExecutionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ActionExecutionOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ActionExecutionOptions>, ActionExecutionOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IActionStore, InMemoryActionStore>();
        services.TryAddSingleton<IActionPermissionChecker>(AllowAllPermissionChecker.Instance);
        services.TryAddSingleton<IActionFeatureFlags, OptionsFeatureFlags>();
        services.TryAddSingleton<ActionCatalogRegistrations>();
        services.TryAddSingleton(static sp => sp.GetRequiredService<ActionCatalogRegistrations>().Build());
        services.TryAddSingleton<ActionEngine>();
        services.TryAddSingleton<ActionManagementService>();
        services.TryAddSingleton<IActionManagement>(static sp => sp.GetRequiredService<ActionManagementService>());

        services.AddOptions<DispatchOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DispatchOptions>, DispatchOptionsValidator>());
        services.TryAddSingleton<ActionExecTelemetry>();
        services.TryAddSingleton(static sp => new TargetInvokerRegistry(
            sp.GetServices<TargetInvokerRegistration>().Select(r => KeyValuePair.Create(r.Scheme, r.Factory(sp)))));
        services.TryAddSingleton<TargetCaller>();
        services.TryAddSingleton<IFlowDeliveries, QueuedFlowDeliveries>();
        services.TryAddSingleton<IActionDispatcher, ActionDispatcher>();
        services.TryAddSingleton<ActionTestConsole>();
        services.TryAddSingleton<IActionTestConsole>(static sp => sp.GetRequiredService<ActionTestConsole>());

        services.AddOptions<DeliveryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>());
        services.TryAddSingleton<IDeliveryQueue, InMemoryDeliveryQueue>();
        services.TryAddSingleton(static _ => new DeliveryStatistics());
        services.TryAddSingleton<DeliveryWorker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DeliveryWorker>(static sp => sp.GetRequiredService<DeliveryWorker>()));
        return new ActionExecutionsBuilder(services).AddHttpTargets();
    }
}
