using ActionExec.AspNetCore;
using ActionExec.Conditions;
using ActionExec.Grpc.Management;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;

namespace ActionExec.Grpc;

/// <summary>
/// The method of a gRPC endpoint, from the <see cref="GrpcMethodMetadata"/> that <c>MapGrpcService</c> puts on every method it
/// serves (the descriptor's full name, <c>/pkg.v1.Service/Method</c>), streaming methods included: a condition on one is valid,
/// the interceptor only never runs it. The catch-all endpoints that answer Unimplemented carry none, so they are not methods; nor
/// are the management services' methods, which executions never run on.
/// </summary>
internal sealed class GrpcEndpointMethods : IEndpointMethodReader
{
    public string? MethodOf(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc
        && !ManagementEndpointMetadata.Marks(endpoint)
        && ConditionRules.IsWellFormed(ConditionScope.Method, grpc.Method.FullName)
            ? grpc.Method.FullName
            : null;
}
