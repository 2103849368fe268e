using ActionExec.Catalog;
using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using NSubstitute;
using static ActionExec.Tests.Support.ManagementHarness;

namespace ActionExec.Tests.Management;

public sealed class ActionManagementServiceTests : IDisposable
{
    private static readonly Condition Method = Condition.RequestMethod("/zitadel.session.v2.SessionService/ListSessions");
    private static readonly Condition Service = Condition.RequestService("zitadel.session.v2.SessionService");
    private static readonly Condition All = Condition.AllRequests;

    private readonly ManagementHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData("method")]
    [InlineData("service")]
    [InlineData("all")]
    public async Task SetExecution_WithTarget_StoresItAndMovesTheSequence(string level)
    {
        var condition = level switch { "method" => Method, "service" => Service, _ => All };
        var target = await _h.CreateTargetAsync("t1");

        var result = await _h.SetAsync(condition, T(target));

        Assert.True(result.Changed);
        Assert.Equal(2UL, result.Details.Sequence);
        Assert.Equal(_h.Time.GetUtcNow(), result.Details.ChangeDate);
        Assert.Equal(Tenant, result.Details.ResourceOwner);
        var stored = await _h.Service.GetExecutionAsync(_h.Caller, condition);
        Assert.Equal([T(target)], stored.Entries.AsEnumerable());
        Assert.Equal(result.Details, stored.Details);
    }

    [Theory]
    [InlineData("method")]
    [InlineData("service")]
    [InlineData("all")]
    public async Task SetExecution_WithIncludeOfEachLevel_Succeeds(string level)
    {
        var included = level switch { "method" => Method, "service" => Service, _ => All };
        var target = await _h.CreateTargetAsync("t1");
        await _h.SetAsync(included, T(target));
        var including = Condition.RequestMethod("/other.v1.Service/Call");

        var result = await _h.SetAsync(including, I(included));

        Assert.True(result.Changed);
        var match = (await _h.SnapshotAsync()).Match(ConditionKind.Request, "/other.v1.Service/Call");
        Assert.NotNull(match);
        Assert.Equal([target], match.Targets.Select(t => t.Id));
    }

    [Fact]
    public async Task SetExecution_IncludeNotFound_FailsWithNotFoundNamingIt()
    {
        var target = await _h.CreateTargetAsync("t1");

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.SetAsync(Method, T(target), I(Service)));

        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
        Assert.Contains("include 'request/zitadel.session.v2.SessionService'", error.Message, StringComparison.Ordinal);
        Assert.Equal("targets[1].include", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public async Task SetExecution_TargetsNotFound_FailsNamingEveryMissingId()
    {
        var target = await _h.CreateTargetAsync("t1");

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.SetAsync(Method, T("missing-1"), T(target), T("missing-2")));

        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
        Assert.Contains("target 'missing-1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("target 'missing-2'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["targets[0].target", "targets[2].target"], error.Violations.Select(v => v.Field));
        Assert.Equal(1UL, (await _h.SnapshotAsync()).Sequence);
    }

    [Fact]
    public async Task SetExecution_MoreMissingTargetsThanListed_MessageNamesTheFirst100AndCountsTheRest()
    {
        var entries = Enumerable.Range(0, 250).Select(i => T($"m{i}")).ToArray();

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.SetAsync(Method, entries));

        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
        var listed = string.Join(", ", Enumerable.Range(0, 100).Select(i => $"target 'm{i}'"));
        Assert.Equal($"Not found in tenant '{Tenant}': {listed} and 150 more; create them first or remove them from the list.", error.Message);
        Assert.Equal(250, error.Violations.Length);
    }

    [Fact]
    public async Task SetExecution_EmptyList_RemovesTheExecution()
    {
        var target = await _h.CreateTargetAsync("t1");
        await _h.SetAsync(Method, T(target));

        var result = await _h.SetAsync(Method);

        Assert.True(result.Changed);
        Assert.Equal(3UL, result.Details.Sequence);
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.GetExecutionAsync(_h.Caller, Method).AsTask());
        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
        Assert.Null((await _h.SnapshotAsync()).Match(ConditionKind.Request, Method.Value!));
    }

    [Fact]
    public async Task SetExecution_EmptyListOnExecutionThatNeverExisted_SucceedsWithoutMovingTheSequence()
    {
        await _h.CreateTargetAsync("t1");

        var result = await _h.SetAsync(Method);

        Assert.False(result.Changed);
        Assert.Equal(1UL, result.Details.Sequence);
        Assert.Equal(1UL, await _h.Store.GetSequenceAsync(Tenant, default));
    }

    [Fact]
    public async Task SetExecution_IdenticalEntries_ChangesNothingAndReturnsTheStoredDetails()
    {
        var target = await _h.CreateTargetAsync("t1");
        var first = await _h.SetAsync(Method, T(target));
        _h.Time.Advance(TimeSpan.FromMinutes(5));

        var second = await _h.SetAsync(Method, T(target));

        Assert.False(second.Changed);
        Assert.Equal(first.Details, second.Details);
        Assert.Equal(2UL, await _h.Store.GetSequenceAsync(Tenant, default));
    }

    [Fact]
    public async Task SetExecution_SameEntriesInAnotherOrder_IsAChange()
    {
        var a = await _h.CreateTargetAsync("a");
        var b = await _h.CreateTargetAsync("b");
        await _h.SetAsync(Method, T(a), T(b));

        var result = await _h.SetAsync(Method, T(b), T(a));

        Assert.True(result.Changed);
        Assert.Equal(["b", "a"], (await _h.SnapshotAsync()).Match(ConditionKind.Request, Method.Value!)!.Targets.Select(t => t.Name));
    }

    [Fact]
    public async Task SetExecution_SelfInclude_FailsAsACycle()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.SetAsync(Service, I(Service)));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("include cycle: request/zitadel.session.v2.SessionService -> request/zitadel.session.v2.SessionService", error.Message);
    }

    [Fact]
    public async Task SetExecution_TwoNodeCycle_FailsNamingThePath()
    {
        var target = await _h.CreateTargetAsync("t1");
        var a = Condition.RequestService("a");
        var b = Condition.RequestService("b");
        await _h.SetAsync(a, T(target));
        await _h.SetAsync(b, I(a));

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.SetAsync(a, I(b)));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("include cycle: request/a -> request/b -> request/a", error.Message);
    }

    [Fact]
    public async Task SetExecution_FiveNodeCycle_FailsNamingThePath()
    {
        using var h = new ManagementHarness(new ActionExecutionOptions { MaxIncludeDepth = 10 });
        var target = await h.CreateTargetAsync("t1");
        var nodes = new[] { "a", "b", "c", "d", "e" }.Select(Condition.RequestService).ToArray();
        await h.SetAsync(nodes[4], T(target));
        for (var i = 3; i >= 0; i--)
        {
            await h.SetAsync(nodes[i], I(nodes[i + 1]));
        }

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.SetAsync(nodes[4], I(nodes[0])));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("include cycle: request/e -> request/a -> request/b -> request/c -> request/d -> request/e", error.Message);
    }

    [Fact]
    public async Task SetExecution_ChainOfDepthTwo_IsAccepted()
    {
        var target = await _h.CreateTargetAsync("t1");
        var (a, b, c) = (Condition.RequestService("a"), Condition.RequestService("b"), Condition.RequestService("c"));
        await _h.SetAsync(c, T(target));
        await _h.SetAsync(b, I(c));

        var result = await _h.SetAsync(a, I(b));

        Assert.True(result.Changed);
        Assert.Equal([target], (await _h.SnapshotAsync()).Match(ConditionKind.Request, "/a/M")!.Targets.Select(t => t.Id));
    }

    [Fact]
    public async Task SetExecution_ChainOfDepthThree_IsRejectedEvenWhenTheLastExecutionIsEmpty()
    {
        var target = await _h.CreateTargetAsync("t1");
        var (a, b, c, d) = (Condition.RequestService("a"), Condition.RequestService("b"), Condition.RequestService("c"), Condition.RequestService("d"));
        await _h.SetAsync(d, T(target));
        await _h.SetAsync(c, I(d));
        await _h.SetAsync(b, I(c));
        await _h.Service.DeleteTargetAsync(_h.Caller, target);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.SetAsync(a, I(b)));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("include depth 3 exceeds 2: request/a -> request/b -> request/c -> request/d", error.Message);
    }

    [Fact]
    public async Task SetExecution_ChangeThatMakesAnotherExecutionsChainTooDeep_IsRejected()
    {
        var target = await _h.CreateTargetAsync("t1");
        var (a, b, c, d) = (Condition.RequestService("a"), Condition.RequestService("b"), Condition.RequestService("c"), Condition.RequestService("d"));
        await _h.SetAsync(d, T(target));
        await _h.SetAsync(c, T(target));
        await _h.SetAsync(b, I(c));
        await _h.SetAsync(Condition.AllEvents, I(b));
        await _h.SetAsync(a, I(b));

        // c gaining an include makes a -> b -> c -> d (and event -> b -> c -> d) one hop too deep, though c's own chain is fine.
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.SetAsync(c, I(d)));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("include depth 3 exceeds 2: event -> request/b -> request/c -> request/d", error.Message);
        Assert.Equal([T(target)], (await _h.Service.GetExecutionAsync(_h.Caller, c)).Entries.AsEnumerable());
    }

    [Fact]
    public async Task SetExecution_ChangeThatClosesACycleThroughAnotherExecution_IsRejected()
    {
        var target = await _h.CreateTargetAsync("t1");
        var (a, b) = (Condition.RequestService("a"), Condition.RequestService("b"));
        await _h.SetAsync(b, T(target));
        await _h.SetAsync(a, I(b));

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.SetAsync(b, T(target), I(a)));

        Assert.Equal("include cycle: request/b -> request/a -> request/b", error.Message);
    }

    [Fact]
    public async Task SetExecution_WithoutPermission_FailsFirstEvenForInvalidInput()
    {
        _h.Permissions.HasPermissionAsync(default!, default!, default).ReturnsForAnyArgs(false);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.SetAsync(Method, T("missing"), T("missing")));

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
        Assert.Contains("'action.execution.write'", error.Message, StringComparison.Ordinal);
        await _h.Permissions.Received(1).HasPermissionAsync(_h.Caller, ActionPermissions.ExecutionWrite, Arg.Any<CancellationToken>());
        await _h.Features.DidNotReceiveWithAnyArgs().IsActionsEnabledAsync(default!, default);
    }

    [Fact]
    public async Task SetExecution_FeatureDisabled_FailsWithFailedPreconditionBeforeValidation()
    {
        _h.Features.IsActionsEnabledAsync(default!, default).ReturnsForAnyArgs(false);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.SetAsync(Method, T("x"), T("x")));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.StartsWith("feature flag actions is not enabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetExecution_DuplicateEntries_FailsWithInvalidArgumentBeforeLookingUpTargets()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.SetAsync(Method, T("x"), I(Service), T("x"), I(Service)));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal(["targets[2]", "targets[3]"], error.Violations.Select(v => v.Field));
    }

    public static TheoryData<Condition, string> UnknownConditions => new()
    {
        { Condition.RequestMethod("/demo.v1.GreeterService/Unknown"), "condition.request.method" },
        { Condition.ResponseService("demo.v1.Unknown"), "condition.response.service" },
        { Condition.Event("demo.greeting.unknown"), "condition.event.event" },
        { Condition.EventGroup("demo.unknown"), "condition.event.group" },
        { Condition.Function("preunknown"), "condition.function.name" },
    };

    [Theory]
    [MemberData(nameof(UnknownConditions))]
    public async Task SetExecution_ConditionNotInCatalog_FailsWithInvalidArgument(Condition condition, string field)
    {
        var catalog = new ActionCatalogBuilder()
            .AddMethods("/demo.v1.GreeterService/SayHello")
            .AddEvents("demo.greeting.sent")
            .AddFunctions("preuserinfo")
            .Build();
        using var h = new ManagementHarness(catalog: catalog);
        var target = await h.CreateTargetAsync("t1");

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.SetAsync(condition, T(target)));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal(field, Assert.Single(error.Violations).Field);
        Assert.Contains("condition does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetExecution_ConditionsInCatalog_AreAccepted()
    {
        var catalog = new ActionCatalogBuilder()
            .AddMethods("/demo.v1.GreeterService/SayHello")
            .AddEvents("demo.greeting.sent")
            .AddFunctions("preuserinfo")
            .Build();
        using var h = new ManagementHarness(catalog: catalog);
        var target = await h.CreateTargetAsync("t1");

        foreach (var condition in new[]
        {
            Condition.RequestMethod("/demo.v1.GreeterService/SayHello"), Condition.ResponseService("demo.v1.GreeterService"),
            Condition.AllRequests, Condition.Event("demo.greeting.sent"), Condition.EventGroup("demo.greeting"),
            Condition.EventGroup("demo"), Condition.AllEvents, Condition.Function("preuserinfo"),
        })
        {
            Assert.True((await h.SetAsync(condition, T(target))).Changed);
        }
    }

    [Fact]
    public async Task CreateTarget_ReturnsTheKeyOnce_AndGetNeverDoes()
    {
        var created = await _h.Service.CreateTargetAsync(_h.Caller, new TargetSpec
        {
            Name = "hook",
            Endpoint = "https://example.com/hook",
            Type = TargetType.Call,
            Timeout = TimeSpan.FromSeconds(5),
            InterruptOnError = true,
        });

        Assert.Equal(43, created.SigningKey.Length);
        Assert.Equal(_h.Time.GetUtcNow(), created.Target.CreationDate);
        var fetched = await _h.Service.GetTargetAsync(_h.Caller, created.Target.Id);
        Assert.Equal(created.Target, fetched);
        Assert.DoesNotContain(created.SigningKey, fetched.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(created.SigningKey, created.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTarget_NameTaken_FailsWithAlreadyExists()
    {
        await _h.CreateTargetAsync("hook");

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.CreateTargetAsync("hook"));

        Assert.Equal(ActionExecErrorCode.AlreadyExists, error.Code);
        Assert.Contains("'hook'", error.Message, StringComparison.Ordinal);
        Assert.Single(await _h.Service.ListTargetsAsync(_h.Caller));
    }

    [Fact]
    public async Task CreateTarget_InvalidSpec_ListsEveryViolationAndStoresNothing()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.CreateTargetAsync(_h.Caller, new TargetSpec
        {
            Name = "",
            Endpoint = "ftp://example.com",
            Type = TargetType.Async,
            Timeout = TimeSpan.Zero,
            InterruptOnError = true,
        }).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal(["name", "endpoint", "timeout", "restAsync.interruptOnError"], error.Violations.Select(v => v.Field));
        Assert.Equal(0UL, await _h.Store.GetSequenceAsync(Tenant, default));
    }

    [Fact]
    public async Task CreateTarget_EndpointWithCredentials_FailsWithInvalidArgumentAndStoresNothing()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.CreateTargetAsync(_h.Caller, new TargetSpec
        {
            Name = "with-credentials",
            Endpoint = "http://user:pw@example.com/hook",
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(5),
        }).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal("endpoint", Assert.Single(error.Violations).Field);
        Assert.DoesNotContain("pw@", error.Message, StringComparison.Ordinal);
        Assert.Equal(0UL, await _h.Store.GetSequenceAsync(Tenant, default));
        Assert.Empty(await _h.Service.ListTargetsAsync(_h.Caller));
    }

    [Fact]
    public async Task UpdateTarget_EndpointWithCredentials_FailsWithInvalidArgumentAndKeepsTheStoredEndpoint()
    {
        var id = await _h.CreateTargetAsync("hook");
        var before = await _h.Service.GetTargetAsync(_h.Caller, id);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.UpdateTargetAsync(_h.Caller, id, new TargetUpdate { Endpoint = "https://user:pw@example.com/hook" }).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal("endpoint", Assert.Single(error.Violations).Field);
        Assert.Equal(before.Endpoint, (await _h.Service.GetTargetAsync(_h.Caller, id)).Endpoint);
        Assert.All(await _h.Service.ListTargetsAsync(_h.Caller), t => Assert.DoesNotContain("pw@", t.Endpoint, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTarget_TimeoutOverConfiguredMaximum_IsRejected()
    {
        using var h = new ManagementHarness(new ActionExecutionOptions { MaxTargetTimeout = TimeSpan.FromSeconds(30) });

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Service.CreateTargetAsync(h.Caller, new TargetSpec
        {
            Name = "slow",
            Endpoint = "https://example.com",
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(31),
        }).AsTask());

        Assert.Equal("timeout", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public async Task UpdateTarget_ChangesOnlyGivenFields_AndKeepsTheKey()
    {
        var created = await _h.Service.CreateTargetAsync(_h.Caller, new TargetSpec
        {
            Name = "hook",
            Endpoint = "https://example.com/hook",
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(5),
        });
        await _h.SetAsync(Method, T(created.Target.Id));
        _h.Time.Advance(TimeSpan.FromSeconds(1));

        var updated = await _h.Service.UpdateTargetAsync(_h.Caller, created.Target.Id, new TargetUpdate { Timeout = TimeSpan.FromSeconds(9) });

        Assert.Equal(TimeSpan.FromSeconds(9), updated.Timeout);
        Assert.Equal("hook", updated.Name);
        Assert.Equal(created.Target.CreationDate, updated.CreationDate);
        Assert.Equal(_h.Time.GetUtcNow(), updated.ChangeDate);
        var resolved = (await _h.SnapshotAsync()).Match(ConditionKind.Request, Method.Value!)!.Targets.Single();
        Assert.Equal(TimeSpan.FromSeconds(9), resolved.Definition.Timeout);
        Assert.Equal(created.SigningKey, resolved.SigningKey);
    }

    [Fact]
    public async Task UpdateTarget_NoChange_DoesNotMoveTheSequence()
    {
        var id = await _h.CreateTargetAsync("hook");

        await _h.Service.UpdateTargetAsync(_h.Caller, id, new TargetUpdate { Name = "hook" });

        Assert.Equal(1UL, await _h.Store.GetSequenceAsync(Tenant, default));
    }

    [Fact]
    public async Task UpdateTarget_ToTakenName_FailsWithAlreadyExists()
    {
        await _h.CreateTargetAsync("a");
        var b = await _h.CreateTargetAsync("b");

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.UpdateTargetAsync(_h.Caller, b, new TargetUpdate { Name = "a" }).AsTask());

        Assert.Equal(ActionExecErrorCode.AlreadyExists, error.Code);
    }

    [Fact]
    public async Task UpdateTarget_RenameFreesTheOldName()
    {
        var a = await _h.CreateTargetAsync("a");

        await _h.Service.UpdateTargetAsync(_h.Caller, a, new TargetUpdate { Name = "renamed" });
        var again = await _h.CreateTargetAsync("a");

        Assert.NotEqual(a, again);
    }

    [Fact]
    public async Task RotateSigningKey_ReturnsANewKeyUsedFromThenOn()
    {
        var created = await _h.Service.CreateTargetAsync(_h.Caller, new TargetSpec
        {
            Name = "hook",
            Endpoint = "https://example.com/hook",
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(5),
        });
        await _h.SetAsync(Method, T(created.Target.Id));

        var rotated = await _h.Service.RotateSigningKeyAsync(_h.Caller, created.Target.Id);

        Assert.NotEqual(created.SigningKey, rotated.SigningKey);
        var resolved = (await _h.SnapshotAsync()).Match(ConditionKind.Request, Method.Value!)!.Targets.Single();
        Assert.Equal(rotated.SigningKey, resolved.SigningKey);
    }

    [Fact]
    public async Task DeleteTarget_RemovesItFromEveryExecution_WhichStayWithTheRestInOrder()
    {
        var a = await _h.CreateTargetAsync("a");
        var b = await _h.CreateTargetAsync("b");
        var c = await _h.CreateTargetAsync("c");
        await _h.SetAsync(Method, T(a), T(b), T(c));
        await _h.SetAsync(Service, T(b));

        var details = await _h.Service.DeleteTargetAsync(_h.Caller, b);

        Assert.Equal([T(a), T(c)], (await _h.Service.GetExecutionAsync(_h.Caller, Method)).Entries.AsEnumerable());
        var service = await _h.Service.GetExecutionAsync(_h.Caller, Service);
        Assert.Empty(service.Entries);
        Assert.Equal(details, service.Details);
        var snapshot = await _h.SnapshotAsync();
        Assert.Equal(["a", "c"], snapshot.Match(ConditionKind.Request, Method.Value!)!.Targets.Select(t => t.Name));
        Assert.Equal(ConditionScope.Service, snapshot.Match(ConditionKind.Request, "/zitadel.session.v2.SessionService/Other")!.Level);
        await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.GetTargetAsync(_h.Caller, b).AsTask());
    }

    [Fact]
    public async Task DeleteTarget_Missing_FailsWithNotFound()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.DeleteTargetAsync(_h.Caller, "nope").AsTask());

        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenants_AreIsolated_TargetsExecutionsAndIncludes()
    {
        var other = ManagementCaller.ForHost("other-tenant");
        var mine = await _h.CreateTargetAsync("mine");
        await _h.SetAsync(Service, T(mine));

        await _h.CreateTargetAsync("mine", caller: other);
        var targetError = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.SetExecutionAsync(other, Method, [T(mine)]).AsTask());
        var includeError = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.SetExecutionAsync(other, Method, [I(Service)]).AsTask());
        var getError = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.GetTargetAsync(other, mine).AsTask());

        Assert.Equal(ActionExecErrorCode.NotFound, targetError.Code);
        Assert.Equal(ActionExecErrorCode.NotFound, includeError.Code);
        Assert.Equal(ActionExecErrorCode.NotFound, getError.Code);
        Assert.Empty(await _h.Service.ListExecutionsAsync(other));
        Assert.Single(await _h.Service.ListTargetsAsync(other));
        Assert.Null((await _h.Engine.GetSnapshotAsync("other-tenant")).Match(ConditionKind.Request, Method.Value!));
    }

    [Theory]
    [InlineData(ActionPermissions.TargetRead)]
    [InlineData(ActionPermissions.ExecutionRead)]
    [InlineData(ActionPermissions.TargetWrite)]
    public async Task EveryOperation_ChecksItsPermission(string permission)
    {
        _h.Permissions.HasPermissionAsync(Arg.Any<ManagementCaller>(), permission, Arg.Any<CancellationToken>()).Returns(false);
        Func<Task> call = permission switch
        {
            ActionPermissions.TargetRead => () => _h.Service.ListTargetsAsync(_h.Caller).AsTask(),
            ActionPermissions.ExecutionRead => () => _h.Service.ExplainAsync(_h.Caller, ConditionKind.Request, "/a/b").AsTask(),
            _ => () => _h.Service.DeleteTargetAsync(_h.Caller, "x").AsTask(),
        };

        var error = await Assert.ThrowsAsync<ActionExecException>(call);

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
        Assert.Contains(permission, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListExecutions_AreOrderedById()
    {
        var t = await _h.CreateTargetAsync("t");
        await _h.SetAsync(Method, T(t));
        await _h.SetAsync(All, T(t));
        await _h.SetAsync(Condition.AllEvents, T(t));

        var list = await _h.Service.ListExecutionsAsync(_h.Caller);

        Assert.Equal(["event", "request", "request/zitadel.session.v2.SessionService/ListSessions"], list.Select(e => e.Id));
    }

    [Fact]
    public async Task Explain_ReportsLevelCandidatesTargetsAndUnresolvedIncludes()
    {
        var a = await _h.CreateTargetAsync("a");
        var b = await _h.CreateTargetAsync("b");
        var group = Condition.EventGroup("user.human");
        await _h.SetAsync(group, T(b));
        await _h.SetAsync(Service, T(a), I(group));
        await _h.SetAsync(group);

        var explanation = await _h.Service.ExplainAsync(_h.Caller, ConditionKind.Request, Method.Value!);

        Assert.Equal(Service, explanation.Matched);
        Assert.Equal(ConditionScope.Service, explanation.Level);
        Assert.Equal(
            [new("request/zitadel.session.v2.SessionService/ListSessions", false), new("request/zitadel.session.v2.SessionService", true), new ActionExec.Engine.ExplainedCandidate("request", false)],
            explanation.Candidates.AsEnumerable());
        Assert.Equal(["a"], explanation.Targets.Select(t => t.Name));
        Assert.Equal([group], explanation.UnresolvedIncludes.AsEnumerable());
        Assert.Contains("no execution exists for 'request/zitadel.session.v2.SessionService/ListSessions'", explanation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_NoMatch_SaysSo()
    {
        var explanation = await _h.Service.ExplainAsync(_h.Caller, ConditionKind.Event, "user.human.added");

        Assert.Null(explanation.Matched);
        Assert.Equal(["event/user.human.added", "event/user.human.*", "event/user.*", "event"], explanation.Candidates.Select(c => c.ConditionId));
        Assert.StartsWith("No execution matches", explanation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetExecutionJson_WithoutPermission_FailsBeforeReadingTheBody()
    {
        _h.Permissions.HasPermissionAsync(default!, default!, default).ReturnsForAnyArgs(false);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Json.SetExecutionFromJsonAsync(_h.Caller, "not json"u8.ToArray()).AsTask());

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
    }

    [Fact]
    public async Task SetExecutionJson_ValidBody_SetsTheExecution()
    {
        var target = await _h.CreateTargetAsync("t1");
        var body = System.Text.Encoding.UTF8.GetBytes(
            """{"condition": {"request": {"method": "zitadel.session.v2.SessionService/ListSessions"}}, "targets": [""" + $"\"{target}\"" + """, {"include": {"event": {"all": true}}}]}""");
        await _h.SetAsync(Condition.AllEvents, T(target));

        var result = await _h.Json.SetExecutionFromJsonAsync(_h.Caller, body);

        Assert.True(result.Changed);
        Assert.Equal([T(target), I(Condition.AllEvents)], (await _h.Service.GetExecutionAsync(_h.Caller, Method)).Entries.AsEnumerable());
    }

    [Fact]
    public async Task SetExecutionJson_MalformedBody_FailsWithInvalidArgumentAndChangesNothing()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Json.SetExecutionFromJsonAsync(_h.Caller, """{"condition": {"request": {}}, "targets": ["", ""]}"""u8.ToArray()).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.True(error.Violations.Length >= 2);
        Assert.Equal(0UL, await _h.Store.GetSequenceAsync(Tenant, default));
    }
}
