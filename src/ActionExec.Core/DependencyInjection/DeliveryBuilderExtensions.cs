using System.Diagnostics.CodeAnalysis;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures background delivery (spec §7): its options, its queue and the dead-letter hook. Each method only records registrations.</summary>
public static class DeliveryBuilderExtensions
{
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
