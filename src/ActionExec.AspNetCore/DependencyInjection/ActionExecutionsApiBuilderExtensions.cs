using System.Diagnostics.CodeAnalysis;
using ActionExec.AspNetCore;
using ActionExec.AspNetCore.Wire;
using ActionExec.Catalog;
using ActionExec.Dispatch;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the HTTP surface of ActionExec: the management API, its permissions and tenants, and the interception middleware.</summary>
public static class ActionExecutionsApiBuilderExtensions
{
    private const string MovedPermissionClaimTypeKey = "PermissionClaimType";

    /// <summary>
    /// Registers what <c>MapActionExecutionsApi</c> and <c>UseActionExecutions</c> need: the options (validated when the host
    /// starts), the <see cref="IFlowContextFactory"/> (unless the host registered its own), the methods of endpoints marked with
    /// <c>WithExecutionMethod</c> as known methods of the catalog (when the host's catalog restricts methods) and the default
    /// <see cref="IActionTenantResolver"/> (one tenant, <see cref="ActionExecutionsApiOptions.DefaultTenantId"/>). It changes nothing for in-process callers: the permission checker stays the one registered (the default reads the user's
    /// permission claims), the API makes every caller with <c>ManagementCaller.ForUser</c>, and the host's own
    /// <c>ManagementCaller.ForHost</c> calls are never checked. Safe to call more than once: every <paramref name="configure"/> is
    /// applied and nothing is registered twice.
    /// </summary>
    /// <param name="builder">The builder of <c>AddActionExecutions</c>.</param>
    /// <param name="configure">Configures the body limit and the default tenant; optional.</param>
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
        services.TryAddSingleton<IFlowContextFactory, HttpFlowContextFactory>();
        services.TryAddSingleton<ICatalogMethodSource, EndpointExecutionMethods>();
        services.TryAddSingleton<ManagementJsonCalls>();
        services.TryAddSingleton<ActionExecutionsApiHandlers>();
        services.TryAddSingleton<ExecutionInterceptor>();

        // The dashboard checks an antiforgery token on every change it sends to the API (safe to call twice).
        services.AddAntiforgery();
        return builder;
    }

    /// <summary>
    /// Registers the HTTP surface as <see cref="AddActionExecutionsApi(IActionExecutionsBuilder, Action{ActionExecutionsApiOptions}?)"/>
    /// does, with <see cref="ActionExecutionsApiOptions"/> bound from <paramref name="configuration"/>, such as
    /// <c>builder.Configuration.GetSection("ActionExec:Api")</c> (keys <c>MaxRequestBodyBytes</c> and <c>DefaultTenantId</c>; a
    /// <c>PermissionClaimType</c> key there fails the start, as it moved to <c>ActionExec:PermissionClaimType</c>).
    /// <paramref name="configure"/> runs after the binding. Validated when the host starts, every violation listed with its
    /// configuration key.
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
            builder.Services.AddSingleton(new ApiConfigurationSection(path, configuration[MovedPermissionClaimTypeKey] is not null));
        }

        return builder.AddActionExecutionsApi(configure);
    }

    /// <summary>
    /// Adds to the flow context of every HTTP request, such as its organisation and project, which ActionExec cannot know: the
    /// context the <see cref="IFlowContextFactory"/> built so far (tenant, user id, headers) goes in, the one to use comes out.
    /// The interception middleware uses it, and so does a host endpoint that builds its context with <see cref="IFlowContextFactory"/>.
    /// Delegates run in the order they were registered. Registers the HTTP surface as <c>AddActionExecutionsApi</c> does.
    /// </summary>
    /// <example><code>.ConfigureFlowContext((http, context) => context with { OrgId = http.User.FindFirst("org")?.Value })</code></example>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Returns the context to use, typically <c>context with { OrgId = …, ProjectId = … }</c>; not null.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static IActionExecutionsBuilder ConfigureFlowContext(this IActionExecutionsBuilder builder, Func<HttpContext, FlowContext, FlowContext> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.ConfigureFlowContext((http, context, _) => ValueTask.FromResult(configure(http, context)));
    }

    /// <summary>
    /// Adds to the flow context of every HTTP request as
    /// <see cref="ConfigureFlowContext(IActionExecutionsBuilder, Func{HttpContext, FlowContext, FlowContext})"/> does, with a delegate that may look something up first, such as the project of an API key.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Returns the context to use; gets the request's cancellation token. An exception it throws fails the request (500).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static IActionExecutionsBuilder ConfigureFlowContext(
        this IActionExecutionsBuilder builder,
        Func<HttpContext, FlowContext, CancellationToken, ValueTask<FlowContext>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        var configurations = services
            .Where(static d => d.ServiceType == typeof(FlowContextConfigurations) && d.ImplementationInstance is not null)
            .Select(static d => (FlowContextConfigurations)d.ImplementationInstance!)
            .FirstOrDefault();
        if (configurations is null)
        {
            configurations = new FlowContextConfigurations();
            services.Replace(ServiceDescriptor.Singleton(configurations));
        }

        configurations.Configure.Add(configure);
        return builder.AddActionExecutionsApi();
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
}
