using Microsoft.AspNetCore.Builder;

namespace ActionExec.Grpc.Management;

/// <summary>The endpoints of the management services, as one builder: a convention added to it applies to each service.</summary>
internal sealed class ManagementGrpcEndpoints(IReadOnlyList<IEndpointConventionBuilder> services) : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (var service in services)
        {
            service.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (var service in services)
        {
            service.Finally(finallyConvention);
        }
    }
}
