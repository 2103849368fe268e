using ActionExec.AspNetCore;
using ActionExec.Grpc;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gRPC side of ActionExec on the actions builder.</summary>
public static class ActionExecutionsGrpcBuilderExtensions
{
    /// <summary>
    /// Fills the catalog with every method of the gRPC services the host maps (<c>MapGrpcService&lt;T&gt;()</c>, read from their
    /// endpoints' method descriptors once the host has started, and from the application's endpoints before): a method or service
    /// condition is accepted exactly when the host serves it, and one it does not serve is rejected with
    /// <c>InvalidArgument</c>. The catalog's methods section becomes restricted (methods registered with <c>AddCatalog</c> and
    /// endpoints marked with <c>WithExecutionMethod</c> stay known). Also registers what <c>AddActionExecutionsApi</c> registers
    /// and the interceptor of <c>AddGrpc(o =&gt; o.AddActionExecutions())</c> as one instance for the host's lifetime. Safe to call
    /// more than once.
    /// </summary>
    /// <param name="builder">The builder of <c>AddActionExecutions</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IActionExecutionsBuilder AddGrpcServices(this IActionExecutionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddActionExecutionsApi();
        var services = builder.Services;
        if (!services.Any(static d => d.ServiceType == typeof(GrpcExecutionInterceptor)))
        {
            services.AddSingleton<GrpcExecutionInterceptor>();

            // An empty list restricts the methods section: from then on only what is served (or registered) is a method.
            builder.AddCatalog(static catalog => catalog.AddMethods([]));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEndpointMethodReader, GrpcEndpointMethods>());
        return builder;
    }
}
