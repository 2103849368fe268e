using System.Security.Claims;
using ActionExec.Management;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace ActionExec.Tests.Management;

public sealed class ClaimsPermissionCheckerTests
{
    private const string Tenant = "tenant-1";

    private static ClaimsPermissionChecker Checker(string claimType = "permission")
    {
        var options = Substitute.For<IOptionsMonitor<ActionExecutionOptions>>();
        options.CurrentValue.Returns(new ActionExecutionOptions { PermissionClaimType = claimType });
        return new ClaimsPermissionChecker(options);
    }

    private static ManagementCaller Caller(string? authenticationType, params Claim[] claims) =>
        ManagementCaller.ForUser(Tenant, new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType)));

    [Fact]
    public async Task HasPermission_ClaimPresent_IsTrue()
    {
        var caller = Caller("Test", new Claim("permission", ActionPermissions.TargetRead));

        Assert.True(await Checker().HasPermissionAsync(caller, ActionPermissions.TargetRead, default));
    }

    [Fact]
    public async Task HasPermission_OtherPermissionOnly_IsFalse()
    {
        var caller = Caller("Test", new Claim("permission", ActionPermissions.TargetRead));

        Assert.False(await Checker().HasPermissionAsync(caller, ActionPermissions.TargetWrite, default));
    }

    [Fact]
    public async Task HasPermission_ValueInOtherCase_IsFalse()
    {
        var caller = Caller("Test", new Claim("permission", "Action.Target.Read"));

        Assert.False(await Checker().HasPermissionAsync(caller, ActionPermissions.TargetRead, default));
    }

    [Fact]
    public async Task HasPermission_UnauthenticatedIdentity_IsFalse()
    {
        var caller = Caller(authenticationType: null, new Claim("permission", ActionPermissions.TargetRead));

        Assert.False(await Checker().HasPermissionAsync(caller, ActionPermissions.TargetRead, default));
    }

    [Fact]
    public async Task HasPermission_HostCallerWithoutUser_IsFalse()
    {
        Assert.False(await Checker().HasPermissionAsync(ManagementCaller.ForHost(Tenant), ActionPermissions.TargetRead, default));
    }

    [Fact]
    public async Task HasPermission_ConfiguredClaimType_ReadsThatType()
    {
        var caller = Caller("Test", new Claim("permission", ActionPermissions.TargetRead), new Claim("scope", ActionPermissions.TargetWrite));

        Assert.False(await Checker("scope").HasPermissionAsync(caller, ActionPermissions.TargetRead, default));
        Assert.True(await Checker("scope").HasPermissionAsync(caller, ActionPermissions.TargetWrite, default));
    }

    [Fact]
    public async Task HasPermission_NullArguments_Throw()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Checker().HasPermissionAsync(null!, ActionPermissions.TargetRead, default).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => Checker().HasPermissionAsync(ManagementCaller.ForHost(Tenant), "", default).AsTask());
    }
}
