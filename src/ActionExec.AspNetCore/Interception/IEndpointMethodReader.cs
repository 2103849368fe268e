using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore;

/// <summary>
/// Reads the full method an endpoint serves from its metadata, for <see cref="EndpointExecutionMethods"/>: another package (the
/// gRPC one, whose endpoints carry their method) adds its endpoints to the catalog this way, through the same snapshot.
/// </summary>
internal interface IEndpointMethodReader
{
    /// <summary>The full method <paramref name="endpoint"/> serves, such as <c>/pkg.v1.Service/Method</c>; <see langword="null"/> for none.</summary>
    string? MethodOf(Endpoint endpoint);
}
