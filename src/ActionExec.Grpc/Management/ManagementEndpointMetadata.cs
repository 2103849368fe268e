using Microsoft.AspNetCore.Http;

namespace ActionExec.Grpc.Management;

/// <summary>
/// Endpoint metadata on the gRPC management services. The library's own request and response interception never runs for an
/// endpoint that carries it: a broken interrupting target must never lock an administrator out of the API that removes it.
/// </summary>
internal sealed class ManagementEndpointMetadata
{
    private ManagementEndpointMetadata()
    {
    }

    /// <summary>The one instance, added to every management endpoint.</summary>
    public static ManagementEndpointMetadata Instance { get; } = new();

    /// <summary>
    /// Whether <paramref name="endpoint"/> is a management endpoint: the interceptor passes its calls through untouched, and its
    /// methods are not methods of the host that executions could be set on.
    /// </summary>
    /// <param name="endpoint">The endpoint of a call (<c>context.GetHttpContext().GetEndpoint()</c>), or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the endpoint carries this metadata.</returns>
    public static bool Marks(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<ManagementEndpointMetadata>() is not null;
}
