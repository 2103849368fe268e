using ActionExec.AspNetCore.Receiving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers receivers: the options of endpoints that are someone's action target and verify what they receive, marked with
/// <c>RequireActionSignature</c>. Needs nothing else of ActionExec: a receiving service does not run actions itself.
/// </summary>
public static class ActionReceiverServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default receiver (the one <c>RequireActionSignature()</c> uses), configured by <paramref name="configure"/>,
    /// with the in-memory replay cache unless an <see cref="IActionReplayCache"/> is registered, and
    /// <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is. Validated when the host starts. Safe to call
    /// more than once; every <paramref name="configure"/> applies.
    /// </summary>
    /// <example><code>services.AddActionReceiver(o => o.SigningKeys.Add(builder.Configuration["Zitadel:SigningKey"]!));</code></example>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the signing keys and, optionally, the schemes, tolerance and body limit.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static IServiceCollection AddActionReceiver(this IServiceCollection services, Action<ActionReceiverOptions> configure) =>
        services.AddActionReceiver(Options.Options.DefaultName, configure);

    /// <summary>
    /// Registers the receiver <paramref name="name"/> (used by <c>RequireActionSignature("name")</c>) as
    /// <see cref="AddActionReceiver(IServiceCollection, Action{ActionReceiverOptions})"/> does: for a service that receives from
    /// targets with different keys on different endpoints.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The receiver's name; empty for the default receiver.</param>
    /// <param name="configure">Sets the signing keys and, optionally, the schemes, tolerance and body limit.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddActionReceiver(this IServiceCollection services, string name, Action<ActionReceiverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(services, name).Configure(configure);
        return services;
    }

    /// <summary>
    /// Registers the receiver <paramref name="name"/> with its options bound from <paramref name="configuration"/>, such as
    /// <c>builder.Configuration.GetSection("Receivers:UserAdded")</c>: keys <c>SigningKeys</c> (an array), <c>Schemes</c>
    /// (<c>Zitadel</c>, <c>StandardWebhooks</c> or <c>Any</c>), <c>Tolerance</c> (<c>00:05:00</c>) and <c>MaxBodyBytes</c>.
    /// A reloaded configuration applies to the next delivery.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The receiver's name; empty for the default receiver.</param>
    /// <param name="configuration">The section of the receiver's options.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddActionReceiver(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddCore(services, name).Bind(configuration);
        return services;
    }

    private static OptionsBuilder<ActionReceiverOptions> AddCore(IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        var names = services
            .Where(static d => d.ServiceType == typeof(ActionReceiverNames) && d.ImplementationInstance is not null)
            .Select(static d => (ActionReceiverNames)d.ImplementationInstance!)
            .FirstOrDefault();
        if (names is null)
        {
            names = new ActionReceiverNames();
            services.AddSingleton(names);
        }

        names.Names.Add(name);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IActionReplayCache, InMemoryActionReplayCache>();
        services.TryAddSingleton<ActionReceivers>();
        services.AddHttpClient(ActionReceiverNames.JwksClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ActionReceiverOptions>, ActionReceiverOptionsValidator>());
        return services.AddOptions<ActionReceiverOptions>(name).ValidateOnStart();
    }
}
