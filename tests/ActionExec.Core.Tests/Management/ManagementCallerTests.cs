using System.Security.Claims;
using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace ActionExec.Tests.Management;

/// <summary>The two kinds of caller, and who decides their calls with the default checker and with a host's own.</summary>
public sealed class ManagementCallerTests
{
    private const string Tenant = "tenant-1";

    [Fact]
    public void ForHost_Tenant_IsTheHostWithoutAUser()
    {
        var caller = ManagementCaller.ForHost(Tenant);

        Assert.Equal(Tenant, caller.TenantId);
        Assert.Null(caller.User);
        Assert.True(caller.IsHost);
    }

    [Fact]
    public void ForUser_TenantAndUser_IsNotTheHost()
    {
        var user = TestUsers.WithPermissions();

        var caller = ManagementCaller.ForUser(Tenant, user);

        Assert.Same(user, caller.User);
        Assert.False(caller.IsHost);
    }

    [Fact]
    public void ForHost_EmptyTenant_ThrowsNamingTheParameter()
    {
        Assert.Equal("tenantId", Assert.Throws<ArgumentException>(() => ManagementCaller.ForHost("")).ParamName);
        Assert.Equal("tenantId", Assert.Throws<ArgumentNullException>(() => ManagementCaller.ForHost(null!)).ParamName);
    }

    [Fact]
    public void ForUser_NullUserOrEmptyTenant_ThrowsNamingTheParameter()
    {
        Assert.Equal("user", Assert.Throws<ArgumentNullException>(() => ManagementCaller.ForUser(Tenant, null!)).ParamName);
        Assert.Equal("tenantId", Assert.Throws<ArgumentException>(() => ManagementCaller.ForUser("", new ClaimsPrincipal())).ParamName);
    }

    [Fact]
    public async Task ForHost_DefaultChecker_HoldsEveryPermission()
    {
        await using var provider = new ServiceCollection().AddActionExecutions().Services.BuildServiceProvider();

        var listed = await provider.GetRequiredService<IActionManagement>().ListExecutionsAsync(ManagementCaller.ForHost(Tenant));

        Assert.Empty(listed);
    }

    [Fact]
    public async Task ForHost_HostChecker_IsNotAsked()
    {
        var checker = Substitute.For<IActionPermissionChecker>();
        checker.HasPermissionAsync(default!, default!, default).ReturnsForAnyArgs(false);
        await using var provider = new ServiceCollection().AddSingleton(checker).AddActionExecutions().Services.BuildServiceProvider();

        await provider.GetRequiredService<IActionManagement>().ListExecutionsAsync(ManagementCaller.ForHost(Tenant));

        await checker.DidNotReceiveWithAnyArgs().HasPermissionAsync(default!, default!, default);
    }

    [Fact]
    public async Task ForHost_ActionsFeatureDisabled_FailsWithFailedPrecondition()
    {
        await using var provider = new ServiceCollection().AddActionExecutions(o => o.ActionsEnabled = false).Services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<ActionExecException>(
            () => provider.GetRequiredService<IActionManagement>().ListExecutionsAsync(ManagementCaller.ForHost(Tenant)).AsTask());

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
    }

    [Fact]
    public async Task ForUser_DefaultCheckerWithoutTheClaim_FailsWithPermissionDenied()
    {
        await using var provider = new ServiceCollection().AddActionExecutions().Services.BuildServiceProvider();
        var reader = ManagementCaller.ForUser(Tenant, TestUsers.WithPermissions(ActionPermissions.ExecutionRead));

        var error = await Assert.ThrowsAsync<ActionExecException>(
            () => provider.GetRequiredService<IActionManagement>().SetExecutionAsync(reader, Condition.AllRequests, []).AsTask());

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
    }

    [Fact]
    public async Task ForUser_DefaultCheckerWithTheClaim_Succeeds()
    {
        await using var provider = new ServiceCollection().AddActionExecutions().Services.BuildServiceProvider();
        var reader = ManagementCaller.ForUser(Tenant, TestUsers.WithPermissions(ActionPermissions.ExecutionRead));

        var listed = await provider.GetRequiredService<IActionManagement>().ListExecutionsAsync(reader);

        Assert.Empty(listed);
    }

    [Fact]
    public async Task ForUser_DefaultCheckerWithConfiguredClaimType_ReadsThatType()
    {
        await using var provider = new ServiceCollection().AddActionExecutions(o => o.PermissionClaimType = "scope").Services.BuildServiceProvider();
        var management = provider.GetRequiredService<IActionManagement>();
        var scoped = ManagementCaller.ForUser(Tenant, TestUsers.WithClaims("scope", ActionPermissions.ExecutionRead));
        var permission = ManagementCaller.ForUser(Tenant, TestUsers.WithPermissions(ActionPermissions.ExecutionRead));

        Assert.Empty(await management.ListExecutionsAsync(scoped));
        var error = await Assert.ThrowsAsync<ActionExecException>(() => management.ListExecutionsAsync(permission).AsTask());
        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
    }

    [Fact]
    public async Task ForUser_HostChecker_Decides()
    {
        var checker = Substitute.For<IActionPermissionChecker>();
        checker.HasPermissionAsync(default!, default!, default).ReturnsForAnyArgs(false);
        await using var provider = new ServiceCollection().AddSingleton(checker).AddActionExecutions().Services.BuildServiceProvider();
        var caller = ManagementCaller.ForUser(Tenant, TestUsers.Administrator);

        var error = await Assert.ThrowsAsync<ActionExecException>(
            () => provider.GetRequiredService<IActionManagement>().ListExecutionsAsync(caller).AsTask());

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
        await checker.Received(1).HasPermissionAsync(caller, ActionPermissions.ExecutionRead, Arg.Any<CancellationToken>());
    }
}
