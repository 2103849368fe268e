namespace ActionExec.Management;

/// <summary>
/// Decides whether a user holds a permission in a tenant. Asked for every call of a <see cref="ManagementCaller.ForUser"/> caller,
/// never for the host's own (<see cref="ManagementCaller.ForHost"/>). The default reads the user's permission claims (type
/// <see cref="ActionExecutionOptions.PermissionClaimType"/>); register your own with <c>UsePermissionChecker</c> to decide from
/// your own authorisation.
/// </summary>
public interface IActionPermissionChecker
{
    /// <summary>Whether <paramref name="caller"/> holds <paramref name="permission"/> (one of <see cref="ActionPermissions"/>).</summary>
    /// <param name="caller">The caller; its <see cref="ManagementCaller.User"/> is set.</param>
    /// <param name="permission">The permission.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when the caller holds the permission.</returns>
    ValueTask<bool> HasPermissionAsync(ManagementCaller caller, string permission, CancellationToken cancellationToken);
}
