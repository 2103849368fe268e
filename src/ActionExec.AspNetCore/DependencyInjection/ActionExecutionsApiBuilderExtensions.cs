using System.Diagnostics.CodeAnalysis;
using ActionExec.AspNetCore;
using ActionExec.AspNetCore.Wire;
using ActionExec.Management;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the HTTP surface of ActionExec: the management API, its permissions and tenants, and the interception middleware.</summary>
public static class ActionExecutionsApiBuilderExtensions
{
    /// <summary>
    /// Registers what <c>MapActionExecutionsApi</c> and <c>UseActionExecutions</c> need: the options (validated when the host
    /// starts), the default <see cref="IActionTenantResolver"/> (one tenant, <see cref="ActionExecutionsApiOptions.DefaultTenantId"/>)
    /// and <see cref="ClaimsPermissionChecker"/> as the permission checker, unless the host registered its own checker, which keeps
    /// its place (also when registered later with <c>UsePermissionChecker</c>). Safe to call more than once: every
    /// <paramref name="configure"/> is applied and nothing is registered twice.
    /// </summary>
    /// <param name="builder">The builder of <c>AddActionExecutions</c>.</param>
    /// <param name="configure">Configures the body limit, the permission claim type and the default tenant; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IActionExecutionsBuilder AddActionExecutionsApi(this IActionExecutionsBuilder builder, Action<ActionExecutionsApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<ActionExecutionsApiOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ActionExecutionsApiOptions>, ActionExecutionsApiOptionsValidator>());
        services.TryAddSingleton<IActionTenantResolver, OptionsTenantResolver>();
        services.TryAddSingleton<ClaimsPermissionChecker>();
        if (HasDefaultPermissionChecker(services))
        {
            services.Replace(ServiceDescriptor.Singleton<IActionPermissionChecker>(static sp => sp.GetRequiredService<ClaimsPermissionChecker>()));
        }

        services.TryAddSingleton<ManagementJsonCalls>();
        services.TryAddSingleton<ActionExecutionsApiHandlers>();
        services.TryAddSingleton<ExecutionInterceptor>();
        return builder;
    }

    /// <summary>
    /// Registers the HTTP surface as <see cref="AddActionExecutionsApi(IActionExecutionsBuilder, Action{ActionExecutionsApiOptions}?)"/>
    /// does, with <see cref="ActionExecutionsApiOptions"/> bound from <paramref name="configuration"/>, such as
    /// <c>builder.Configuration.GetSection("ActionExec:Api")</c> (keys <c>MaxRequestBodyBytes</c>, <c>PermissionClaimType</c>,
    /// <c>DefaultTenantId</c>). <paramref name="configure"/> runs after the binding. Validated when the host starts, every
    /// violation listed with its configuration key.
    /// </summary>
    /// <param name="builder">The builder of <c>AddActionExecutions</c>.</param>
    /// <param name="configuration">The configuration section of the API options.</param>
    /// <param name="configure">Changes the options after they are bound; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is null.</exception>
    public static IActionExecutionsBuilder AddActionExecutionsApi(this IActionExecutionsBuilder builder, IConfiguration configuration, Action<ActionExecutionsApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<ActionExecutionsApiOptions>().Bind(configuration);
        if (configuration is IConfigurationSection { Path: { Length: > 0 } path })
        {
            builder.Services.AddSingleton(new ApiConfigurationSection(path));
        }

        return builder.AddActionExecutionsApi(configure);
    }

    /// <summary>Replaces the tenant resolver (the default answers with <see cref="ActionExecutionsApiOptions.DefaultTenantId"/>).</summary>
    /// <typeparam name="TResolver">The resolver type, resolved as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IActionExecutionsBuilder UseTenantResolver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TResolver>(this IActionExecutionsBuilder builder)
        where TResolver : class, IActionTenantResolver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IActionTenantResolver, TResolver>());
        return builder;
    }

    /// <summary>Replaces the tenant resolver with an instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="resolver">The resolver.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="resolver"/> is null.</exception>
    public static IActionExecutionsBuilder UseTenantResolver(this IActionExecutionsBuilder builder, IActionTenantResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(resolver);
        builder.Services.Replace(ServiceDescriptor.Singleton(resolver));
        return builder;
    }

    /// <summary>
    /// Whether the permission checker is still the one <c>AddActionExecutions</c> registers (which grants everything, and is the
    /// only checker that lives in the core assembly): that one gives way to the claims checker, a host's own never does.
    /// </summary>
    private static bool HasDefaultPermissionChecker(IServiceCollection services)
    {
        var current = services.LastOrDefault(static d => d.ServiceType == typeof(IActionPermissionChecker) && !d.IsKeyedService);
        return current is null
            || current.ImplementationInstance?.GetType().Assembly == typeof(IActionPermissionChecker).Assembly;
    }
}
