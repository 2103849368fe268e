using ActionExec.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActionExec.AspNetCore;

/// <summary>
/// The methods of the endpoints marked with <see cref="ExecutionMethodAttribute"/> (or <c>WithExecutionMethod</c>), for the
/// catalog: marking an endpoint is enough to make its method known, so the markers and the catalog are not two lists kept in step
/// by hand. Once the host started, they are read from the application's <see cref="EndpointDataSource"/> and kept until its
/// endpoints change. Before that (a host that sets executions between building and running the app) the application's endpoint
/// data sources are read on every use, when <c>UseActionExecutions</c> was given an application that maps endpoints itself, such
/// as <c>WebApplication</c>: the shared data source only learns of them when the host starts. Endpoints another package knows the
/// method of (the gRPC services a host maps) join through the <see cref="IEndpointMethodReader"/>s registered.
/// </summary>
internal sealed class EndpointExecutionMethods(IServiceProvider services) : ICatalogMethodSource
{
    private EndpointDataSource? _endpoints;
    private IHostApplicationLifetime? _lifetime;
    private IEndpointMethodReader[]? _readers;
    private volatile ICollection<EndpointDataSource>? _application;
    private volatile Snapshot? _snapshot;

    public CatalogMethods Current
    {
        get
        {
            if (_application is { } application && !HasStarted())
            {
                return CatalogMethods.Of(MethodsOf(application.SelectMany(static d => d.Endpoints), Readers()));
            }

            var source = _endpoints ??= services.GetService<EndpointDataSource>();
            if (source is null)
            {
                return CatalogMethods.Empty;
            }

            var endpoints = source.Endpoints;
            var snapshot = _snapshot;
            if (snapshot is null || !ReferenceEquals(snapshot.Endpoints, endpoints))
            {
                snapshot = new Snapshot(endpoints, CatalogMethods.Of(MethodsOf(endpoints, Readers())));
                _snapshot = snapshot;
            }

            return snapshot.Methods;
        }
    }

    /// <summary>Reads the endpoints of <paramref name="dataSources"/> (the application's own) until the host has started.</summary>
    public void ReadBeforeStart(ICollection<EndpointDataSource> dataSources) => _application = dataSources;

    private bool HasStarted() =>
        (_lifetime ??= services.GetService<IHostApplicationLifetime>()) is not { } lifetime || lifetime.ApplicationStarted.IsCancellationRequested;

    private IEndpointMethodReader[] Readers() => _readers ??= [.. services.GetServices<IEndpointMethodReader>()];

    private static IEnumerable<string> MethodsOf(IEnumerable<Endpoint> endpoints, IEndpointMethodReader[] readers)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<ExecutionMethodAttribute>() is { } marker)
            {
                yield return marker.FullMethod;
                continue;
            }

            foreach (var reader in readers)
            {
                if (reader.MethodOf(endpoint) is { } method)
                {
                    yield return method;
                    break;
                }
            }
        }
    }

    private sealed record Snapshot(IReadOnlyList<Endpoint> Endpoints, CatalogMethods Methods);
}
