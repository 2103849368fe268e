using System.Diagnostics.CodeAnalysis;
using ActionExec.Catalog;
using ActionExec.Delivery;
using ActionExec.DependencyInjection;
using ActionExec.Dispatch;
using ActionExec.Http;
using ActionExec.Management;
using ActionExec.Payloads;
using ActionExec.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Replaces, adds and configures the parts of ActionExec on the builder <c>AddActionExecutions</c> returns: the catalog, the store,
/// permissions and features, invokers (the built-in HTTP one included), and background delivery with its queue and dead-letter
/// observers. Each method only records registrations.
/// </summary>
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

    /// <summary>
    /// Replaces the permission checker, which decides the calls of <see cref="ManagementCaller.ForUser"/> callers (the default reads
    /// the user's permission claims; the host's own <see cref="ManagementCaller.ForHost"/> calls are never checked).
    /// </summary>
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

    /// <summary>
    /// Registers the built-in HTTP invoker for the <c>http</c> and <c>https</c> schemes, the named client of
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

    /// <summary>
    /// Registers the host's payload signing keys, which sign the payloads of targets with the jwt and jwe payload types; the public
    /// parts are published as a JWKS (<c>MapActionExecutionsJwks</c> in ActionExec.AspNetCore). Without them, creating a jwt or jwe
    /// target is refused with <c>FailedPrecondition</c>. Several instances must register the same keys. Calling it again replaces the keys.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="signingKey">The key that signs: an RSA (at least 2048 bits) or EC (P-256, P-384, P-521) key pair with a key id.</param>
    /// <param name="publishedKeys">Further keys to publish: earlier signing keys whose tokens may still be in flight, or the next key.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="signingKey"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is unusable; every problem is listed.</exception>
    public static IActionExecutionsBuilder AddPayloadSigningKeys(this IActionExecutionsBuilder builder, SecurityKey signingKey, params IEnumerable<SecurityKey> publishedKeys)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(signingKey);
        return builder.AddPayloadSigningKeys(new InMemoryPayloadSigningKeyProvider(signingKey, publishedKeys));
    }

    /// <summary>
    /// Registers a provider of the host's payload signing keys, such as an <see cref="InMemoryPayloadSigningKeyProvider"/> the host
    /// rotates, or its own provider backed by a key store. Calling it again replaces the provider.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="provider">The provider.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="provider"/> is null.</exception>
    public static IActionExecutionsBuilder AddPayloadSigningKeys(this IActionExecutionsBuilder builder, IPayloadSigningKeyProvider provider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(provider);
        builder.Services.Replace(ServiceDescriptor.Singleton(provider));
        return builder;
    }

    /// <summary>Configures the delivery options (retry schedule, maximum age, capacity, timeouts, workers). Calls accumulate.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options; they are validated when the host starts.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static IActionExecutionsBuilder ConfigureDelivery(this IActionExecutionsBuilder builder, Action<DeliveryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Delivers events and async targets before the call that queued them returns, for tests: <c>PublishEventAsync</c> and a flow
    /// with an async target return once their deliveries reached every target or failed an attempt. Deliveries still go through
    /// the queue and the worker's processing: a failed attempt is retried on <see cref="DeliveryOptions.RetrySchedule"/> measured
    /// on the registered <see cref="TimeProvider"/>, and a retry that has become due is made by the next inline delivery (or by
    /// <c>ActionExecTestHost.AdvanceAsync</c> in ActionExec.Testing). The worker's loops do not run. Not for production: the
    /// caller waits for every target. Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IActionExecutionsBuilder UseInlineDelivery(this IActionExecutionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<DeliveryOptions>(static o => o.Inline = true);
        builder.Services.TryAddSingleton<QueuedFlowDeliveries>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IFlowDeliveries, InlineFlowDeliveries>());
        return builder;
    }

    /// <summary>Replaces the delivery queue (the in-memory queue is the default), for example with a durable one.</summary>
    /// <typeparam name="TQueue">The queue type, resolved as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IActionExecutionsBuilder UseDeliveryQueue<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TQueue>(this IActionExecutionsBuilder builder)
        where TQueue : class, IDeliveryQueue
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IDeliveryQueue, TQueue>());
        return builder;
    }

    /// <summary>Replaces the delivery queue with an instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="queue">The queue.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="queue"/> is null.</exception>
    public static IActionExecutionsBuilder UseDeliveryQueue(this IActionExecutionsBuilder builder, IDeliveryQueue queue)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(queue);
        builder.Services.Replace(ServiceDescriptor.Singleton(queue));
        return builder;
    }

    /// <summary>Adds an observer told about every dead letter. Adding the same type twice registers it once.</summary>
    /// <typeparam name="TObserver">The observer type, resolved as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IActionExecutionsBuilder AddDeadLetterObserver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TObserver>(this IActionExecutionsBuilder builder)
        where TObserver : class, IDeadLetterObserver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeadLetterObserver, TObserver>());
        return builder;
    }

    /// <summary>Adds an observer instance told about every dead letter. Adding the same instance twice registers it once.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="observer">The observer.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="observer"/> is null.</exception>
    public static IActionExecutionsBuilder AddDeadLetterObserver(this IActionExecutionsBuilder builder, IDeadLetterObserver observer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(observer);
        if (!builder.Services.Any(d => d.ServiceType == typeof(IDeadLetterObserver) && !d.IsKeyedService && ReferenceEquals(d.ImplementationInstance, observer)))
        {
            builder.Services.AddSingleton(observer);
        }

        return builder;
    }
}
