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
}
