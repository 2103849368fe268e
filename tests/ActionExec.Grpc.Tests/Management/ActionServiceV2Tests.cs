using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Grpc.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using System.Security.Cryptography;
using ActionExec.Executions;
using Microsoft.Extensions.DependencyInjection;
using Zitadel.Action.V2;
using Model = ActionExec.Conditions.Condition;

namespace ActionExec.Grpc.Tests.Management;

public sealed class ActionServiceV2Tests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateAndGetTarget_OverEachTransport_AnswerTheTargetWithItsPayloadTypeAndWithoutItsKey(bool web)
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
                PayloadType = PayloadType.Json,
                CreationDate = created.CreationDate,
                ChangeDate = created.CreationDate,
            },
            got.Target);
    }

    [Fact]
    public async Task CreateTarget_PayloadTypeNoNameHas_FailsOnPayloadTypeAndCreatesNothing()
    {
        await using var host = await ManagementHost.StartAsync();
        using var channel = host.Channel(web: false);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ActionService.ActionServiceClient(channel).CreateTargetAsync(new CreateTargetRequest
        {
            Name = "hook",
            Endpoint = "http://127.0.0.1:9/hook",
            Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            RestAsync = new RESTAsync(),
            PayloadType = (PayloadType)42,
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["payload_type"], error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(static v => v.Field));
        Assert.Empty(await host.Management.ListTargetsAsync(ManagementHost.HostCaller));
    }

    [Fact]
    public async Task UpdateTarget_ExpirationSigningKeyZero_ChangesTheTargetAndAnswersANewKey()
    {
        await using var host = await ManagementHost.StartAsync();
        var target = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, ActionServiceV2BetaTests.Spec("hook"));
        using var channel = host.Channel(web: true);

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
        var target = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, ActionServiceV2BetaTests.Spec("hook"));
        using var channel = host.Channel(web: false);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ActionService.ActionServiceClient(channel).UpdateTargetAsync(
            new UpdateTargetRequest { Id = target.Target.Id, Name = "renamed", ExpirationSigningKey = new Duration { Seconds = 60 } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["expiration_signing_key"], error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(static v => v.Field));
        Assert.Equal("hook", (await host.Management.GetTargetAsync(ManagementHost.HostCaller, target.Target.Id)).Name);
    }

    [Fact]
    public async Task DeleteTarget_AlreadyGone_SucceedsWithoutADeletionDate()
    {
        await using var host = await ManagementHost.StartAsync();
        var target = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, ActionServiceV2BetaTests.Spec("hook"));
        using var channel = host.Channel(web: false);
        var client = new ActionService.ActionServiceClient(channel);

        var first = await client.DeleteTargetAsync(new DeleteTargetRequest { Id = target.Target.Id });
        var second = await client.DeleteTargetAsync(new DeleteTargetRequest { Id = target.Target.Id });

        Assert.Equal(Timestamp.FromDateTimeOffset(ManagementHost.Start), first.DeletionDate);
        Assert.Null(second.DeletionDate);
        Assert.Empty(await host.Management.ListTargetsAsync(ManagementHost.HostCaller));
    }

    [Fact]
    public async Task DeleteTarget_ReaderAndNoTarget_IsRefusedBeforeTheTargetIsLookedUp()
    {
        await using var host = await ManagementHost.StartAsync();
        using var channel = host.Channel(web: false, key: TestAuthenticationHandler.Reader);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ActionService.ActionServiceClient(channel).DeleteTargetAsync(new DeleteTargetRequest { Id = "nope" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task SetExecution_TargetIds_ReplacesTheEntriesInOrder()
    {
        await using var host = await ManagementHost.StartAsync(static b => b.AddCatalog(static c => c.AddMethods("/pkg.v1.Service/Method")));
        var hook = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, ActionServiceV2BetaTests.Spec("hook"));
        var other = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, ActionServiceV2BetaTests.Spec("other"));
        using var channel = host.Channel(web: false);

        var response = await new ActionService.ActionServiceClient(channel).SetExecutionAsync(new SetExecutionRequest
        {
            Condition = new Condition { Request = new RequestExecution { Method = "/pkg.v1.Service/Method" } },
            Targets = { other.Target.Id, hook.Target.Id },
        });

        var execution = await host.Management.GetExecutionAsync(ManagementHost.HostCaller, Model.RequestMethod("/pkg.v1.Service/Method"));
        Assert.Equal([$"target:{other.Target.Id}", $"target:{hook.Target.Id}"], execution.Entries.Select(static e => e.ToString()));
        Assert.Equal(Timestamp.FromDateTimeOffset(ManagementHost.Start), response.SetDate);
    }

    [Fact]
    public async Task ListExecutionDiscovery_Catalog_ListsItsMethodsServicesAndFunctions()
    {
        await using var host = await ManagementHost.StartAsync(static b => b.AddCatalog(static c => c
            .AddMethods("/pkg.v1.Service/Method", "/pkg.v1.Other/Call", "/pkg.v1.Service/Another")
            .AddFunctions("preuserinfo")));
        using var channel = host.Channel(web: true, key: TestAuthenticationHandler.Nobody);
        var client = new ActionService.ActionServiceClient(channel);

        var methods = await client.ListExecutionMethodsAsync(new ListExecutionMethodsRequest());
        var services = await client.ListExecutionServicesAsync(new ListExecutionServicesRequest());
        var functions = await client.ListExecutionFunctionsAsync(new ListExecutionFunctionsRequest());

        Assert.Equal(["/pkg.v1.Other/Call", "/pkg.v1.Service/Another", "/pkg.v1.Service/Method"], methods.Methods);
        Assert.Equal(["pkg.v1.Other", "pkg.v1.Service"], services.Services);
        Assert.Equal(["preuserinfo"], functions.Functions);
    }

    [Fact]
    public async Task ListTargets_NameFilterSortAndPage_AnswersThePageAndTheTotal()
    {
        await using var host = await ManagementHost.StartAsync();
        foreach (var name in new[] { "alpha-hook", "Beta-HOOK", "gamma", "delta-hook" })
        {
            await host.Management.CreateTargetAsync(ManagementHost.HostCaller, ActionServiceV2BetaTests.Spec(name));
        }

        using var channel = host.Channel(web: true, key: TestAuthenticationHandler.Reader);

        var response = await new ActionService.ActionServiceClient(channel).ListTargetsAsync(new ListTargetsRequest
        {
            Pagination = new Zitadel.Filter.V2.PaginationRequest { Offset = 1, Limit = 2, Asc = true },
            SortingColumn = TargetFieldName.Name,
            Filters = { new TargetSearchFilter { TargetNameFilter = new TargetNameFilter { TargetName = "-hook", Method = Zitadel.Filter.V2.TextFilterMethod.EndsWithIgnoreCase } } },
        });

        // Matching, by name (ordinal): Beta-HOOK, alpha-hook, delta-hook; the page skips one and takes two.
        Assert.Equal(["alpha-hook", "delta-hook"], response.Targets.Select(static t => t.Name));
        Assert.Equal(new Zitadel.Filter.V2.PaginationResponse { TotalResult = 3, AppliedLimit = 2 }, response.Pagination);
    }

    [Fact]
    public async Task ListTargets_LimitOverTheMaximum_FailsOnTheLimit()
    {
        await using var host = await ManagementHost.StartAsync();
        using var channel = host.Channel(web: false);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ActionService.ActionServiceClient(channel).ListTargetsAsync(
            new ListTargetsRequest { Pagination = new Zitadel.Filter.V2.PaginationRequest { Limit = 1001 } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["pagination.limit"], error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(static v => v.Field));
    }

    [Fact]
    public async Task ListExecutions_IncludeAndTargetFilter_AnswersTheTargetsCalledInOrder()
    {
        await using var host = await ManagementHost.StartAsync();
        var hook = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, ActionServiceV2BetaTests.Spec("hook"));
        var other = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, ActionServiceV2BetaTests.Spec("other"));
        await host.Management.SetExecutionAsync(ManagementHost.HostCaller, Model.RequestService("pkg.v1.Service"), [ExecutionEntry.ForTarget(hook.Target.Id)]);
        await host.Management.SetExecutionAsync(ManagementHost.HostCaller, Model.RequestMethod("/pkg.v1.Service/Method"), [ExecutionEntry.ForTarget(other.Target.Id)]);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.Management.SetExecutionAsync(
            ManagementHost.HostCaller,
            Model.RequestMethod("/pkg.v1.Service/Method"),
            [ExecutionEntry.ForTarget(other.Target.Id), ExecutionEntry.ForInclude(Model.RequestService("pkg.v1.Service"))]);
        await host.Management.SetExecutionAsync(ManagementHost.HostCaller, Model.Function("preuserinfo"), [ExecutionEntry.ForTarget(hook.Target.Id)]);
        using var channel = host.Channel(web: false, key: TestAuthenticationHandler.Reader);

        var response = await new ActionService.ActionServiceClient(channel).ListExecutionsAsync(new ListExecutionsRequest
        {
            SortingColumn = ExecutionFieldName.Id,
            Pagination = new Zitadel.Filter.V2.PaginationRequest { Asc = true },
            Filters =
            {
                new ExecutionSearchFilter { TargetFilter = new TargetFilter { TargetId = other.Target.Id } },
                new ExecutionSearchFilter { ExecutionTypeFilter = new ExecutionTypeFilter { ExecutionType = ExecutionType.Request } },
            },
        });

        var execution = Assert.Single(response.Executions);
        Assert.Equal(new Condition { Request = new RequestExecution { Method = "/pkg.v1.Service/Method" } }, execution.Condition);
        Assert.Equal([other.Target.Id, hook.Target.Id], execution.Targets);
        Assert.Equal(Timestamp.FromDateTimeOffset(ManagementHost.Start), execution.CreationDate);
        Assert.Equal(Timestamp.FromDateTimeOffset(ManagementHost.Start.AddMinutes(1)), execution.ChangeDate);
        Assert.Equal(new Zitadel.Filter.V2.PaginationResponse { TotalResult = 1, AppliedLimit = 100 }, response.Pagination);
    }

    [Fact]
    public async Task ListExecutions_MalformedConditionFilter_FailsOnItsPath()
    {
        await using var host = await ManagementHost.StartAsync();
        using var channel = host.Channel(web: false, key: TestAuthenticationHandler.Reader);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ActionService.ActionServiceClient(channel).ListExecutionsAsync(new ListExecutionsRequest
        {
            Filters = { new ExecutionSearchFilter { InConditionsFilter = new InConditionsFilter { Conditions = { new Condition { Request = new RequestExecution { Method = "no-slash" } } } } } },
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(
            ["filters[0].in_conditions_filter.conditions[0].request.method"],
            error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(static v => v.Field));
    }

    [Fact]
    public async Task ListExecutions_MalformedFilterWithoutThePermission_IsRefusedForThePermission()
    {
        await using var host = await ManagementHost.StartAsync();
        using var channel = host.Channel(web: false, key: TestAuthenticationHandler.Nobody);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ActionService.ActionServiceClient(channel).ListExecutionsAsync(new ListExecutionsRequest
        {
            Filters = { new ExecutionSearchFilter { InConditionsFilter = new InConditionsFilter { Conditions = { new Condition() } } } },
        }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PublicKeys_AddActivateDeactivateRemove_OverEachTransport_FollowTheKeysRules(bool web)
    {
        await using var host = await ManagementHost.StartAsync();
        var target = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, ActionServiceV2BetaTests.Spec("hook"));
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportSubjectPublicKeyInfoPem();
        var expiration = ManagementHost.Start.AddDays(30);
        using var channel = host.Channel(web);
        var client = new ActionService.ActionServiceClient(channel);

        var added = await client.AddPublicKeyAsync(new AddPublicKeyRequest
        {
            TargetId = target.Target.Id,
            PublicKey = ByteString.CopyFromUtf8(pem),
            ExpirationDate = Timestamp.FromDateTimeOffset(expiration),
        });
        var inactive = Assert.Single((await client.ListPublicKeysAsync(new ListPublicKeysRequest { TargetId = target.Target.Id })).PublicKeys);
        await client.ActivatePublicKeyAsync(new ActivatePublicKeyRequest { TargetId = target.Target.Id, KeyId = added.KeyId });
        var active = Assert.Single((await client.ListPublicKeysAsync(new ListPublicKeysRequest { TargetId = target.Target.Id })).PublicKeys);
        var removeActive = await Assert.ThrowsAsync<RpcException>(() => client.RemovePublicKeyAsync(new RemovePublicKeyRequest { TargetId = target.Target.Id, KeyId = added.KeyId }).ResponseAsync);
        await client.DeactivatePublicKeyAsync(new DeactivatePublicKeyRequest { TargetId = target.Target.Id, KeyId = added.KeyId });
        var removed = await client.RemovePublicKeyAsync(new RemovePublicKeyRequest { TargetId = target.Target.Id, KeyId = added.KeyId });

        var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo())).TrimEnd('=');
        Assert.Equal(
            new PublicKey
            {
                KeyId = added.KeyId,
                Active = false,
                PublicKey_ = ByteString.CopyFromUtf8(pem),
                Fingerprint = fingerprint,
                ExpirationDate = Timestamp.FromDateTimeOffset(expiration),
                CreationDate = added.CreationDate,
                ChangeDate = added.CreationDate,
            },
            inactive);
        Assert.True(active.Active);
        Assert.Equal(StatusCode.FailedPrecondition, removeActive.StatusCode);
        Assert.Equal(Timestamp.FromDateTimeOffset(ManagementHost.Start), removed.DeletionDate);
        Assert.Empty((await client.ListPublicKeysAsync(new ListPublicKeysRequest { TargetId = target.Target.Id })).PublicKeys);
    }

    [Fact]
    public async Task AddPublicKey_NotAKeyAndAnExpirationPassed_FailsOnBothFieldsAndAddsNothing()
    {
        await using var host = await ManagementHost.StartAsync();
        var target = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, ActionServiceV2BetaTests.Spec("hook"));
        using var channel = host.Channel(web: false);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ActionService.ActionServiceClient(channel).AddPublicKeyAsync(new AddPublicKeyRequest
        {
            TargetId = target.Target.Id,
            PublicKey = ByteString.CopyFromUtf8("not a key"),
            ExpirationDate = Timestamp.FromDateTimeOffset(ManagementHost.Start.AddDays(-1)),
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["public_key", "expiration_date"], error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(static v => v.Field));
        Assert.Empty(await host.Management.ListPublicKeysAsync(ManagementHost.HostCaller, target.Target.Id));
    }
}
