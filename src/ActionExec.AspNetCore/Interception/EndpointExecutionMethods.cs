using ActionExec.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.AspNetCore;

/// <summary>
/// The methods of the endpoints marked with <see cref="ExecutionMethodAttribute"/> (or <c>WithExecutionMethod</c>), for the
/// catalog: marking an endpoint is enough to make its method known, so the markers and the catalog are not two lists kept in step
/// by hand. Read from the application's <see cref="EndpointDataSource"/> on use and kept until its endpoints change, because the
/// endpoints are mapped after the services are built.
/// </summary>
internal sealed class EndpointExecutionMethods(IServiceProvider services) : ICatalogMethodSource
{
    private EndpointDataSource? _endpoints;
    private volatile Snapshot? _snapshot;

    public CatalogMethods Current
    {
        get
        {
            var source = _endpoints ??= services.GetService<EndpointDataSource>();
            if (source is null)
            {
                return CatalogMethods.Empty;
            }

            var endpoints = source.Endpoints;
            var snapshot = _snapshot;
            if (snapshot is null || !ReferenceEquals(snapshot.Endpoints, endpoints))
            {
                snapshot = new Snapshot(endpoints, CatalogMethods.Of(MethodsOf(endpoints)));
                _snapshot = snapshot;
            }

            return snapshot.Methods;
        }
    }

    private static IEnumerable<string> MethodsOf(IReadOnlyList<Endpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<ExecutionMethodAttribute>() is { } marker)
            {
                yield return marker.FullMethod;
            }
        }
    }

    private sealed record Snapshot(IReadOnlyList<Endpoint> Endpoints, CatalogMethods Methods);
}
