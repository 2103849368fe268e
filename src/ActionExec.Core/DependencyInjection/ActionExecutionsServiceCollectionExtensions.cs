using ActionExec;
using ActionExec.Catalog;
using ActionExec.TestConsole;
using ActionExec.Delivery;
using ActionExec.DependencyInjection;
using ActionExec.Diagnostics;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Http;
using ActionExec.Management;
using ActionExec.Payloads;
using ActionExec.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ActionExec in a service collection.</summary>
public static class ActionExecutionsServiceCollectionExtensions
{
    private const string DispatchSection = "Dispatch";
    private const string DeliverySection = "Delivery";
    private const string HttpTargetsSection = "HttpTargets";

    /// <summary>
    /// Registers the engine, <see cref="IActionManagement"/>, <see cref="IActionDispatcher"/>, <see cref="IActionTestConsole"/> and their defaults: the in-memory store, a permission checker that
    /// reads a user's permission claims (the host's own <see cref="ManagementCaller.ForHost"/> calls are not checked), the <c>actions</c> feature from the options, an unrestricted catalog and <see cref="TimeProvider.System"/>;
    /// the built-in invoker of <c>http</c> and <c>https</c> targets (configure it with <c>AddHttpTargets</c>); and background
    /// delivery: the in-memory delivery queue and the delivery worker as a hosted service.
    /// Safe to call more than once; every call's <paramref name="configure"/> is applied. Options and the catalog are validated
    /// when the host starts.
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ActionExecutionOptions>, ActionCatalogValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IActionStore, InMemoryActionStore>();
        services.TryAddSingleton<IActionPermissionChecker, ClaimsPermissionChecker>();
        services.TryAddSingleton<IActionFeatureFlags, OptionsFeatureFlags>();
        services.TryAddSingleton<ActionCatalogRegistrations>();
        services.TryAddSingleton(static sp => sp.GetRequiredService<ActionCatalogRegistrations>().Build().Joining(sp.GetService<ICatalogMethodSource>()));
        services.TryAddSingleton<ActionEngine>();
        services.TryAddSingleton<ActionManagementService>();
        services.TryAddSingleton<IActionManagement>(static sp => sp.GetRequiredService<ActionManagementService>());

        services.AddOptions<DispatchOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DispatchOptions>, DispatchOptionsValidator>());
        services.TryAddSingleton<ActionExecTelemetry>();
        services.TryAddSingleton(static sp => new TargetInvokerRegistry(
            sp.GetServices<TargetInvokerRegistration>().Select(r => KeyValuePair.Create(r.Scheme, r.Factory(sp)))));
        services.TryAddSingleton<PayloadEncoder>();
        services.TryAddSingleton<TargetCaller>();
        services.TryAddSingleton<IFlowDeliveries, QueuedFlowDeliveries>();
        services.TryAddSingleton<IActionDispatcher, ActionDispatcher>();
        services.TryAddSingleton<ActionTestConsole>();
        services.TryAddSingleton<IActionTestConsole>(static sp => sp.GetRequiredService<ActionTestConsole>());

        services.AddOptions<DeliveryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>());
        services.TryAddSingleton<IDeliveryQueue, InMemoryDeliveryQueue>();

        // The history is the queue's own whenever the queue keeps one, so replacing the queue replaces both.
        services.TryAddSingleton<IDeliveryHistory>(static sp => (sp.GetRequiredService<IDeliveryQueue>() as IDeliveryHistory)!);
        services.TryAddSingleton(static sp => new DeliveryStatistics(sp.GetRequiredService<ActionExecTelemetry>()));
        services.TryAddSingleton<DeliveryWorker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DeliveryWorker>(static sp => sp.GetRequiredService<DeliveryWorker>()));
        return new ActionExecutionsBuilder(services).AddHttpTargets();
    }

    /// <summary>
    /// Registers ActionExec as <see cref="AddActionExecutions(IServiceCollection, Action{ActionExecutionOptions}?)"/> does, with
    /// the options bound from <paramref name="configuration"/>, such as <c>builder.Configuration.GetSection("ActionExec")</c>:
    /// <see cref="ActionExecutionOptions"/> from the section itself, <see cref="DispatchOptions"/> from <c>Dispatch</c>,
    /// <see cref="DeliveryOptions"/> from <c>Delivery</c> and <see cref="ActionExec.Http.HttpTargetOptions"/> from
    /// <c>HttpTargets</c>. Durations are written <c>"00:00:05"</c>; lists are arrays (<c>Delivery:RetrySchedule:0</c>,
    /// <c>HttpTargets:AllowedNetworks:0</c>…), so that the environment variable <c>ActionExec__Delivery__Workers=4</c> sets a value.
    /// A configured <c>Delivery:RetrySchedule</c> replaces the default schedule; configured <c>Dispatch:HeaderAllowList</c>
    /// entries are added to the default headers. <paramref name="configure"/> runs after the binding. Everything is validated when
    /// the host starts, every violation listed with its configuration key; a key in <c>Dispatch</c>, <c>Delivery</c> or
    /// <c>HttpTargets</c> that names no option, or a value that does not convert, fails the start naming it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section of ActionExec.</param>
    /// <param name="configure">Changes the options after they are bound; optional.</param>
    /// <returns>A builder to replace the store, register the catalog, and add the later parts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    public static IActionExecutionsBuilder AddActionExecutions(this IServiceCollection services, IConfiguration configuration, Action<ActionExecutionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration is IConfigurationSection section ? section.Path : null;
        services.AddOptions<ActionExecutionOptions>().Bind(configuration);
        Record<ActionExecutionOptions>(services, path, null);

        // The sub-sections belong to ActionExec alone, so a misspelt key in them is an error rather than a silent default; the
        // root is shared with the sub-sections and with whatever else a host keeps there.
        var dispatch = configuration.GetSection(DispatchSection);
        services.AddOptions<DispatchOptions>().Bind(dispatch, static b => b.ErrorOnUnknownConfiguration = true);
        Record<DispatchOptions>(services, path, DispatchSection);

        var delivery = configuration.GetSection(DeliverySection);
        services.AddOptions<DeliveryOptions>().Bind(delivery, static b => b.ErrorOnUnknownConfiguration = true).Configure(options => ReplaceRetrySchedule(options, delivery));
        Record<DeliveryOptions>(services, path, DeliverySection);

        services.AddOptions<HttpTargetOptions>().Bind(configuration.GetSection(HttpTargetsSection), static b => b.ErrorOnUnknownConfiguration = true);
        Record<HttpTargetOptions>(services, path, HttpTargetsSection);
        return services.AddActionExecutions(configure);
    }

    /// <summary>
    /// The binder adds the configured delays to the default schedule it finds in the property; a configured schedule is meant to
    /// be the whole schedule.
    /// </summary>
    private static void ReplaceRetrySchedule(DeliveryOptions options, IConfiguration delivery)
    {
        var schedule = delivery.GetSection(nameof(DeliveryOptions.RetrySchedule));
        if (schedule.GetChildren().Any())
        {
            options.RetrySchedule = schedule.Get<TimeSpan[]>() ?? [];
        }
    }

    private static void Record<TOptions>(IServiceCollection services, string? root, string? section)
    {
        var path = (root, section) switch
        {
            (null or "", null) => null,
            (null or "", _) => section,
            (_, null) => root,
            _ => $"{root}:{section}",
        };
        if (path is not null)
        {
            services.AddSingleton(new ConfiguredSection(typeof(TOptions), path));
        }
    }
}
