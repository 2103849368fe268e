using ActionExec.Errors;

namespace ActionExec.Management;

/// <summary>
/// Steps 1 and 2 of every management and console call: the permission first (so a caller without it learns nothing
/// about its input or the stored state), then the <c>actions</c> feature. The host's own calls hold every permission; a user's
/// are checked by the permission checker.
/// </summary>
internal static class ActionAuthorization
{
    public static async ValueTask EnsureAsync(
        IActionPermissionChecker permissions,
        IActionFeatureFlags features,
        ManagementCaller caller,
        string permission,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsHost && !await permissions.HasPermissionAsync(caller, permission, cancellationToken).ConfigureAwait(false))
        {
            throw new ActionExecException(
                ActionExecErrorCode.PermissionDenied,
                $"The caller lacks the permission '{permission}' in tenant '{caller.TenantId}'; ask an administrator to grant it.");
        }

        if (!await features.IsActionsEnabledAsync(caller.TenantId, cancellationToken).ConfigureAwait(false))
        {
            throw new ActionExecException(
                ActionExecErrorCode.FailedPrecondition,
                $"feature flag actions is not enabled for tenant '{caller.TenantId}'; enable the actions feature to use targets and executions.");
        }
    }
}
