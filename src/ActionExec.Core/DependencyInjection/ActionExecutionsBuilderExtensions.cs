using ActionExec.DependencyInjection;
using System.Diagnostics.CodeAnalysis;
using ActionExec.Catalog;
using ActionExec.Dispatch;
using ActionExec.Management;
using ActionExec.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Replaces and adds the parts of ActionExec. Each method only records registrations.</summary>
public static class ActionExecutionsBuilderExtensions
{
    /// <summary>Registers what exists in the host; with a catalog, conditions naming something unknown are rejected. Calls accumulate.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adds methods, event types and function names.</param>
    /// <returns>The builder.</returns>
    public static IActionExecutionsBuilder AddCatalog(this IActionExecutionsBuilder builder, Action<ActionCatalogBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var registrations = builder.Services
            .Where(static d => d.ServiceType == typeof(ActionCatalogRegistrations) && d.ImplementationInstance is not null)
            .Select(static d => (ActionCatalogRegistrations)d.ImplementationInstance!)
            .FirstOrDefault();
        if (registrations is null)
        {
            registrations = new ActionCatalogRegistrations();
            builder.Services.Replace(ServiceDescriptor.Singleton(registrations));
        }

        registrations.Configure.Add(configure);
        return builder;
    }

    /// <summary>Replaces the store (the in-memory store is the default).</summary>
    /// <typeparam name="TStore">The store type, resolved as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IActionExecutionsBuilder UseStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(this IActionExecutionsBuilder builder)
        where TStore : class, IActionStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IActionStore, TStore>());
        return builder;
    }

    /// <summary>Replaces the store with an instance, for example one store shared by several containers in a test.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The store.</param>
    /// <returns>The builder.</returns>
    public static IActionExecutionsBuilder UseStore(this IActionExecutionsBuilder builder, IActionStore store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        builder.Services.Replace(ServiceDescriptor.Singleton(store));
        return builder;
    }

    /// <summary>Replaces the permission checker (the default grants everything).</summary>
    /// <typeparam name="TChecker">The checker type, resolved as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IActionExecutionsBuilder UsePermissionChecker<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TChecker>(this IActionExecutionsBuilder builder)
        where TChecker : class, IActionPermissionChecker
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IActionPermissionChecker, TChecker>());
        return builder;
    }

    /// <summary>Replaces the feature flags (the default reads <see cref="ActionExec.ActionExecutionOptions.ActionsEnabled"/>).</summary>
    /// <typeparam name="TFlags">The feature flags type, resolved as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IActionExecutionsBuilder UseFeatureFlags<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFlags>(this IActionExecutionsBuilder builder)
        where TFlags : class, IActionFeatureFlags
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IActionFeatureFlags, TFlags>());
        return builder;
    }

    /// <summary>Registers a host's own invoker for an endpoint scheme, such as <c>inproc</c>; it replaces any earlier claim of that scheme.</summary>
    /// <typeparam name="TInvoker">The invoker type, resolved as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="scheme">The URI scheme the invoker handles (case-insensitive).</param>
    /// <returns>The builder.</returns>
    public static IActionExecutionsBuilder AddTargetInvoker<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TInvoker>(this IActionExecutionsBuilder builder, string scheme)
        where TInvoker : class, ITargetInvoker
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        builder.Services.TryAddSingleton<TInvoker>();
        builder.Services.AddSingleton(new TargetInvokerRegistration(scheme, static sp => sp.GetRequiredService<TInvoker>()));
        return builder;
    }

    /// <summary>Registers an invoker instance for an endpoint scheme, such as <c>inproc</c>; it replaces any earlier claim of that scheme.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="scheme">The URI scheme the invoker handles (case-insensitive).</param>
    /// <param name="invoker">The invoker.</param>
    /// <returns>The builder.</returns>
    public static IActionExecutionsBuilder AddTargetInvoker(this IActionExecutionsBuilder builder, string scheme, ITargetInvoker invoker)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(invoker);
        builder.Services.AddSingleton(new TargetInvokerRegistration(scheme, _ => invoker));
        return builder;
    }
}
