using System.Text;
using ActionExec.Catalog;
using ActionExec.Conditions;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using NSubstitute;
using static ActionExec.Tests.Support.ManagementHarness;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Reliability;

/// <summary>
/// A failed write changes nothing (spec §3): a <c>SetExecution</c> stopped at any of its steps 1–8, or a store that fails to
/// commit, leaves the store and the published snapshot exactly as they were.
/// </summary>
public sealed class AtomicityTests
{
    private static readonly Condition A = Condition.RequestMethod("/pkg.v1.Svc/A");
    private static readonly Condition B = Condition.RequestMethod("/pkg.v1.Svc/B");
    private static readonly Condition C = Condition.RequestMethod("/pkg.v1.Svc/C");
    private static readonly Condition D = Condition.RequestMethod("/pkg.v1.Svc/D");

    public static TheoryData<int> Steps() => [1, 2, 3, 4, 5, 6, 7, 8];

    public static TheoryData<string> Writes() => ["set", "remove", "create-target", "update-target", "rotate-key", "delete-target"];

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task SetExecutionAsync_StoppedAtStep_LeavesTheStoreAndThePublishedSnapshotUnchanged(int step)
    {
        var catalog = new ActionCatalogBuilder().AddMethods(A.Value!, B.Value!, C.Value!, D.Value!).Build();
        using var h = new ManagementHarness(catalog: catalog);
        var (t1, t2) = await SeedAsync(h.Service, h.Caller);
        var snapshot = await h.SnapshotAsync();
        var image = await StoreImage.OfAsync(h.Store, Tenant);

        var attempt = step switch
        {
            1 => Deny(h),
            2 => Disable(h),
            3 => h.Json.SetExecutionFromJsonAsync(h.Caller, Encoding.UTF8.GetBytes($$$"""{"condition":{"request":{"method":"/pkg.v1.Svc/has space"}},"targets":["{{{t1}}}"]}""")).AsTask(),
            4 => h.SetAsync(D, T(t1), T(t1)),
            5 => h.SetAsync(Condition.RequestMethod("/pkg.v1.Svc/Unknown"), T(t1)),
            6 => h.SetAsync(A, T(t1)),
            7 => h.SetAsync(D, T(t2), T("missing-target")),
            _ => h.SetAsync(A, T(t1), I(C)),
        };

        if (step == 6)
        {
            var unchanged = await attempt;
            Assert.False(unchanged.Changed);
        }
        else
        {
            var error = await Assert.ThrowsAsync<ActionExecException>(() => attempt);
            Assert.Equal(ExpectedCode(step), error.Code);
            if (step == 8)
            {
                Assert.Equal("include cycle: request/pkg.v1.Svc/A -> request/pkg.v1.Svc/C -> request/pkg.v1.Svc/B -> request/pkg.v1.Svc/A", error.Message);
            }
        }

        Assert.Same(snapshot, await h.SnapshotAsync());
        Assert.Equal(image, await StoreImage.OfAsync(h.Store, Tenant));
    }

    [Fact]
    public async Task SetExecutionAsync_IncludeChainTooDeep_LeavesTheStoreAndThePublishedSnapshotUnchanged()
    {
        using var h = new ManagementHarness();
        await SeedAsync(h.Service, h.Caller);
        var snapshot = await h.SnapshotAsync();
        var image = await StoreImage.OfAsync(h.Store, Tenant);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.SetAsync(D, I(C)));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("include depth 3 exceeds 2: request/pkg.v1.Svc/D -> request/pkg.v1.Svc/C -> request/pkg.v1.Svc/B -> request/pkg.v1.Svc/A", error.Message);
        Assert.Same(snapshot, await h.SnapshotAsync());
        Assert.Equal(image, await StoreImage.OfAsync(h.Store, Tenant));
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task ManagementWrite_StoreFailsToCommit_LeavesThePublishedSnapshotAndTheStoreAsTheyWereAndTheNextWriteSucceeds(string write)
    {
        var store = new FailingActionStore();
        var time = new FakeTimeProvider(TestTime.Start);
        using var engine = new ActionEngine(store, Microsoft.Extensions.Options.Options.Create(new ActionExecutionOptions()));
        var permissions = Substitute.For<IActionPermissionChecker>();
        permissions.HasPermissionAsync(default!, default!, default).ReturnsForAnyArgs(true);
        var features = Substitute.For<IActionFeatureFlags>();
        features.IsActionsEnabledAsync(default!, default).ReturnsForAnyArgs(true);
        var service = new ActionManagementService(engine, ActionCatalog.Unrestricted, permissions, features, time);
        var caller = ManagementCaller.ForHost(Tenant);
        var (t1, t2) = await SeedAsync(service, caller);
        var snapshot = await engine.GetSnapshotAsync(Tenant);
        var image = await StoreImage.OfAsync(store, Tenant);
        Func<Task> act = write switch
        {
            "set" => () => service.SetExecutionAsync(caller, D, [T(t2), I(A)]).AsTask(),
            "remove" => () => service.SetExecutionAsync(caller, C, []).AsTask(),
            "create-target" => () => service.CreateTargetAsync(caller, Spec("t3")).AsTask(),
            "update-target" => () => service.UpdateTargetAsync(caller, t1, new TargetUpdate { Timeout = TimeSpan.FromSeconds(3) }).AsTask(),
            "rotate-key" => () => service.RotateSigningKeyAsync(caller, t1).AsTask(),
            _ => () => service.DeleteTargetAsync(caller, t1).AsTask(),
        };
        store.FailCommits = true;
        time.Advance(TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<IOException>(act);

        Assert.Equal(FailingActionStore.Failure, error.Message);
        Assert.Equal(1, store.FailedCommits);
        Assert.Same(snapshot, await engine.GetSnapshotAsync(Tenant));
        Assert.Equal(image, await StoreImage.OfAsync(store, Tenant));

        store.FailCommits = false;
        await act();
        var after = await engine.GetSnapshotAsync(Tenant);
        Assert.Equal(snapshot.Sequence + 1, after.Sequence);
        Assert.Equal(after.Sequence, await store.GetSequenceAsync(Tenant, CancellationToken.None));
    }

    private static ActionExecErrorCode ExpectedCode(int step) => step switch
    {
        1 => ActionExecErrorCode.PermissionDenied,
        2 or 8 => ActionExecErrorCode.FailedPrecondition,
        7 => ActionExecErrorCode.NotFound,
        _ => ActionExecErrorCode.InvalidArgument,
    };

    private static Task<SetExecutionResult> Deny(ManagementHarness h)
    {
        h.Permissions.HasPermissionAsync(h.Caller, ActionPermissions.ExecutionWrite, Arg.Any<CancellationToken>()).Returns(false);
        return h.SetAsync(D, T("anything"));
    }

    private static Task<SetExecutionResult> Disable(ManagementHarness h)
    {
        h.Features.IsActionsEnabledAsync(Tenant, Arg.Any<CancellationToken>()).Returns(false);
        return h.SetAsync(D, T("anything"));
    }

    /// <summary>Two targets and the chain C → B → A, as deep as the default limit allows.</summary>
    private static async Task<(string T1, string T2)> SeedAsync(ActionManagementService service, ManagementCaller caller)
    {
        var t1 = (await service.CreateTargetAsync(caller, Spec("t1"))).Target.Id;
        var t2 = (await service.CreateTargetAsync(caller, Spec("t2"))).Target.Id;
        await service.SetExecutionAsync(caller, A, [T(t1)]);
        await service.SetExecutionAsync(caller, B, [T(t2), I(A)]);
        await service.SetExecutionAsync(caller, C, [I(B)]);
        return (t1, t2);
    }

    private static TargetSpec Spec(string name) => new()
    {
        Name = name,
        Endpoint = $"https://{name}.example.com/hook",
        Type = TargetType.Webhook,
        Timeout = TimeSpan.FromSeconds(10),
    };
}
