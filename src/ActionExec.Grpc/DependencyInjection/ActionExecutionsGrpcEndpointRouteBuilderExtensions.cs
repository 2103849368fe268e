using ActionExec.AspNetCore;
using ActionExec.Grpc.Management;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the management API of ActionExec over gRPC and gRPC-Web, wire-compatible with ZITADEL's action services.</summary>
public static class ActionExecutionsGrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>zitadel.action.v2.ActionService</c> (ZITADEL's generally available actions API: targets, public keys,
    /// <c>SetExecution</c>, search, discovery), <c>zitadel.action.v2beta.ActionService</c> (targets, <c>SetExecution</c>,
    /// executions, discovery) and
    /// <c>zitadel.resources.action.v3alpha.ZITADELActions</c> (<c>SetExecution</c> with includes, discovery) over the registered
    /// management service: the same callers, permissions, rules, codes and violations as <c>MapActionExecutionsApi</c>, with errors
    /// as gRPC status codes and a <c>google.rpc.Status</c> carrying <c>google.rpc.BadRequest</c> field violations. The library's own
    /// request and response interception never runs for these services. For gRPC-Web, call <c>app.UseGrpcWeb()</c> and
    /// <c>EnableGrpcWeb()</c> on the result.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder, such as the <c>WebApplication</c>.</param>
    /// <returns>A builder of the three services' endpoints, to add conventions to, such as <c>EnableGrpcWeb()</c> or <c>RequireAuthorization()</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// The API's services are not registered (call <c>services.AddActionExecutions().AddActionExecutionsApi()</c>), or gRPC is not
    /// (call <c>services.AddGrpc()</c>).
    /// </exception>
    public static IEndpointConventionBuilder MapActionExecutionsGrpc(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _ = endpoints.ServiceProvider.GetService<ActionExecutionsApiHandlers>()
            ?? throw new InvalidOperationException(
                "The actions API is not registered; call services.AddActionExecutions().AddActionExecutionsApi() before mapping it with MapActionExecutionsGrpc().");

        IEndpointConventionBuilder[] services =
        [
            endpoints.MapGrpcService<ActionServiceV2>(),
            endpoints.MapGrpcService<ActionServiceV2Beta>(),
            endpoints.MapGrpcService<ZitadelActionsV3Alpha>(),
        ];
        var builder = new ManagementGrpcEndpoints(services);
        builder.WithMetadata(ManagementEndpointMetadata.Instance);
        return builder;
    }
}
