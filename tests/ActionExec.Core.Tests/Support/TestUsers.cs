using System.Security.Claims;
using ActionExec.Management;

namespace ActionExec.Tests.Support;

/// <summary>Users for <see cref="ManagementCaller.ForUser"/> callers, with permission claims the default checker reads.</summary>
internal static class TestUsers
{
    /// <summary>An authenticated user holding all four permissions as <c>permission</c> claims.</summary>
    public static ClaimsPrincipal Administrator { get; } = WithPermissions(
        ActionPermissions.TargetRead, ActionPermissions.TargetWrite, ActionPermissions.ExecutionRead, ActionPermissions.ExecutionWrite);

    /// <summary>An authenticated user holding <paramref name="permissions"/> as <c>permission</c> claims.</summary>
    public static ClaimsPrincipal WithPermissions(params string[] permissions) => WithClaims(ActionExecutionOptions.DefaultPermissionClaimType, permissions);

    /// <summary>An authenticated user holding <paramref name="values"/> as claims of <paramref name="claimType"/>.</summary>
    public static ClaimsPrincipal WithClaims(string claimType, params string[] values) =>
        new(new ClaimsIdentity(values.Select(v => new Claim(claimType, v)), authenticationType: "Test"));
}
