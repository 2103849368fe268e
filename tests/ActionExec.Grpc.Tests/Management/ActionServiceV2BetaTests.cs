using ActionExec.Executions;
using ActionExec.Grpc.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Zitadel.Action.V2Beta;
using Model = ActionExec.Conditions.Condition;
using TargetSpec = ActionExec.Targets.TargetSpec;
using TargetType = ActionExec.Targets.TargetType;

namespace ActionExec.Grpc.Tests.Management;

public sealed class ActionServiceV2BetaTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateAndGetTarget_OverEachTransport_AnswerTheTargetWithoutItsKey(bool web)
    {
        await using var host = await ManagementHost.StartAsync();
        using var channel = host.Channel(web);
        var client = new ActionService.ActionServiceClient(channel);

        var created = await client.CreateTargetAsync(new CreateTargetRequest
        {
            Name = "hook",
            Endpoint = "http://127.0.0.1:9/hook",
            Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            RestCall = new RESTCall { InterruptOnError = true },
        });
        var got = await client.GetTargetAsync(new GetTargetRequest { Id = created.Id });

        Assert.NotEmpty(created.SigningKey);
        Assert.Equal(Timestamp.FromDateTimeOffset(ManagementHost.Start), created.CreationDate);
        Assert.Equal(
            new Target
            {
                Id = created.Id,
                Name = "hook",
                Endpoint = "http://127.0.0.1:9/hook",
                Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
                RestCall = new RESTCall { InterruptOnError = true },
                CreationDate = created.CreationDate,
                ChangeDate = created.CreationDate,
            },
            got.Target);
    }

    [Fact]
    public async Task UpdateTarget_ExpirationSigningKeyZero_AnswersANewKey()
    {
        await using var host = await ManagementHost.StartAsync();
        var target = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, Spec("hook"));
        using var channel = host.Channel(web: false);

        var response = await new ActionService.ActionServiceClient(channel).UpdateTargetAsync(
            new UpdateTargetRequest { Id = target.Target.Id, Name = "renamed", ExpirationSigningKey = new Duration() });

        Assert.True(response.HasSigningKey);
        Assert.NotEqual(target.SigningKey, response.SigningKey);
        Assert.Equal("renamed", (await host.Management.GetTargetAsync(ManagementHost.HostCaller, target.Target.Id)).Name);
    }

    [Fact]
    public async Task UpdateTarget_ExpirationSigningKeyNotZero_FailsOnThatFieldAndChangesNothing()
    {
        await using var host = await ManagementHost.StartAsync();
        var target = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, Spec("hook"));
        using var channel = host.Channel(web: false);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ActionService.ActionServiceClient(channel).UpdateTargetAsync(
            new UpdateTargetRequest { Id = target.Target.Id, Name = "renamed", ExpirationSigningKey = new Duration { Seconds = 60 } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["expiration_signing_key"], error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(static v => v.Field));
        Assert.Equal("hook", (await host.Management.GetTargetAsync(ManagementHost.HostCaller, target.Target.Id)).Name);
    }

    [Fact]
    public async Task CreateTarget_DurationNotNormalized_FailsOnTimeout()
    {
        await using var host = await ManagementHost.StartAsync();
        using var channel = host.Channel(web: false);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ActionService.ActionServiceClient(channel).CreateTargetAsync(new CreateTargetRequest
        {
            Name = "hook",
            Endpoint = "http://127.0.0.1:9/hook",
            Timeout = new Duration { Seconds = 1, Nanos = -5 },
            RestAsync = new RESTAsync(),
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["timeout"], error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(static v => v.Field));
    }

    [Fact]
    public async Task ListExecutions_TargetAndInclude_AnswersTheEntriesInOrder()
    {
        await using var host = await ManagementHost.StartAsync();
        var target = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, Spec("hook"));
        await host.Management.SetExecutionAsync(ManagementHost.HostCaller, Model.RequestService("pkg.v1.Service"), [ExecutionEntry.ForTarget(target.Target.Id)]);
        await host.Management.SetExecutionAsync(
            ManagementHost.HostCaller,
            Model.RequestMethod("/pkg.v1.Service/Method"),
            [ExecutionEntry.ForInclude(Model.RequestService("pkg.v1.Service")), ExecutionEntry.ForTarget(target.Target.Id)]);
        using var channel = host.Channel(web: true);

        var response = await new ActionService.ActionServiceClient(channel).ListExecutionsAsync(new ListExecutionsRequest());

        Assert.Equal(2UL, response.Details.TotalResult);
        var method = response.Result.Single(static e => e.Condition.Request.ConditionCase == RequestExecution.ConditionOneofCase.Method);
        Assert.Equal("/pkg.v1.Service/Method", method.Condition.Request.Method);
        Assert.Equal(
            [new ExecutionTargetType { Include = new Zitadel.Action.V2Beta.Condition { Request = new RequestExecution { Service = "pkg.v1.Service" } } }, new ExecutionTargetType { Target = target.Target.Id }],
            method.Targets);
        Assert.Equal(Timestamp.FromDateTimeOffset(ManagementHost.Start), method.ChangeDate);
    }

    [Fact]
    public async Task ListExecutionDiscovery_Catalog_ListsItsMethodsServicesAndFunctions()
    {
        await using var host = await ManagementHost.StartAsync(static b => b.AddCatalog(static c => c
            .AddMethods("/pkg.v1.Service/Method", "/pkg.v1.Other/Call", "/pkg.v1.Service/Another")
            .AddFunctions("preuserinfo")));
        using var channel = host.Channel(web: false, key: AspNetCore.Tests.Support.TestAuthenticationHandler.Nobody);
        var client = new ActionService.ActionServiceClient(channel);

        var methods = await client.ListExecutionMethodsAsync(new ListExecutionMethodsRequest());
        var services = await client.ListExecutionServicesAsync(new ListExecutionServicesRequest());
        var functions = await client.ListExecutionFunctionsAsync(new ListExecutionFunctionsRequest());

        Assert.Equal(["/pkg.v1.Other/Call", "/pkg.v1.Service/Another", "/pkg.v1.Service/Method"], methods.Methods);
        Assert.Equal(["pkg.v1.Other", "pkg.v1.Service"], services.Services);
        Assert.Equal(["preuserinfo"], functions.Functions);
    }

    internal static TargetSpec Spec(string name) => new()
    {
        Name = name,
        Endpoint = "http://127.0.0.1:9/" + name,
        Type = TargetType.Webhook,
        Timeout = TimeSpan.FromSeconds(10),
        InterruptOnError = true,
    };
}
