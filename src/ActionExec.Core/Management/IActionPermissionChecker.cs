namespace ActionExec.Management;

/// <summary>
/// Decides whether a caller holds a permission in its tenant. The host implements it from its own authorisation;
/// the default grants everything, because a host calling the service in-process has already decided.
/// </summary>
public interface IActionPermissionChecker
{
    /// <summary>Whether <paramref name="caller"/> holds <paramref name="permission"/> (one of <see cref="ActionPermissions"/>).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="permission">The permission.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when the caller holds the permission.</returns>
    ValueTask<bool> HasPermissionAsync(ManagementCaller caller, string permission, CancellationToken cancellationToken);
}
