using ActionExec.Grpc.Management;
using ActionExec.Grpc.Tests.Support;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Grpc.Tests.DependencyInjection;

public sealed class ActionExecutionsGrpcEndpointRouteBuilderExtensionsTests
{
    [Fact]
    public async Task MapActionExecutionsGrpc_EveryManagementMethod_IsMarkedToBeSkippedByInterception()
    {
        await using var host = await ManagementHost.StartAsync();

        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(static e => e.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc
                && grpc.Method.ServiceName is "zitadel.action.v2beta.ActionService" or "zitadel.resources.action.v3alpha.ZITADELActions")
            .ToList();

        Assert.Equal(14, endpoints.Count(static e => e.Metadata.GetMetadata<GrpcMethodMetadata>()!.Method.Name is not "*"));
        Assert.All(endpoints, static e => Assert.True(ManagementEndpointMetadata.Marks(e)));
    }

    [Fact]
    public void MapActionExecutionsGrpc_ApiNotRegistered_ThrowsNamingTheFix()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGrpc();
        using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapActionExecutionsGrpc());

        Assert.Contains("AddActionExecutionsApi()", error.Message, StringComparison.Ordinal);
    }
}
