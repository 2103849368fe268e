using ActionExec.DependencyInjection;
using ActionExec.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the built-in invoker of <c>http</c> and <c>https</c> targets.</summary>
public static class HttpTargetsBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="HttpTargetInvoker"/> for the <c>http</c> and <c>https</c> schemes, the named client of
    /// <see cref="HttpTargetOptions.ClientName"/> (its primary handler follows no redirect and enforces the endpoint policy at
    /// connect time; by default it denies loopback, private, link-local, CGNAT, unspecified and multicast addresses) and the options, validated when the host starts. <c>AddActionExecutions</c> already calls this; call it
    /// again to configure the options. Safe to call more than once: every <paramref name="configure"/> is applied, the invoker is
    /// registered once, and a host's own invoker for <c>http</c> or <c>https</c> registered in between keeps its claim.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the client name, denied hosts, denied networks and the reserved networks allowed after all (<c>o.AllowLoopback()</c>); optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IActionExecutionsBuilder AddHttpTargets(this IActionExecutionsBuilder builder, Action<HttpTargetOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<HttpTargetOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(static d => d.ServiceType == typeof(HttpTargetsMarker)))
        {
            return builder;
        }

        services.AddSingleton(HttpTargetsMarker.Instance);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpTargetOptions>, HttpTargetOptionsValidator>());

        // Added through a client builder, the setup counts as client-specific configuration: the factory runs the host's
        // ConfigureHttpClientDefaults before it, so defaults cannot replace the primary handler that enforces the policy.
        services.AddHttpClient(HttpTargetOptions.DefaultClientName).Services
            .TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HttpClientFactoryOptions>, HttpTargetClientSetup>());
        services.TryAddSingleton(static sp => new EndpointPolicy(sp.GetRequiredService<IOptions<HttpTargetOptions>>().Value));
        services.TryAddSingleton<HttpTargetInvoker>();
        services.AddSingleton(new TargetInvokerRegistration("http", static sp => sp.GetRequiredService<HttpTargetInvoker>()));
        services.AddSingleton(new TargetInvokerRegistration("https", static sp => sp.GetRequiredService<HttpTargetInvoker>()));
        return builder;
    }
}
