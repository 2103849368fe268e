using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace ActionExec.Management;

/// <summary>
/// The default permission checker: a user holds a permission when an authenticated identity of theirs carries a claim of type
/// <see cref="ActionExecutionOptions.PermissionClaimType"/> (default <c>permission</c>) whose value is exactly that permission,
/// such as <c>action.execution.write</c> (see <see cref="ActionPermissions"/>). The claims are read the same way in every tenant;
/// a host whose permissions differ per tenant registers its own <see cref="IActionPermissionChecker"/>. Asked only for
/// <see cref="ManagementCaller.ForUser"/> callers: the host's own calls are not checked.
/// </summary>
internal sealed class ClaimsPermissionChecker : IActionPermissionChecker
{
    private readonly IOptionsMonitor<ActionExecutionOptions> _options;

    /// <summary>Creates the checker.</summary>
    /// <param name="options">The options that name the permission claim type; re-read on every check.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ClaimsPermissionChecker(IOptionsMonitor<ActionExecutionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Whether an authenticated identity of the caller's user carries the permission as a claim; a caller without a user holds none.</summary>
    public ValueTask<bool> HasPermissionAsync(ManagementCaller caller, string permission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentException.ThrowIfNullOrEmpty(permission);
        return ValueTask.FromResult(caller.User is { } user && HasClaim(user, _options.CurrentValue.PermissionClaimType, permission));
    }

    private static bool HasClaim(ClaimsPrincipal user, string claimType, string permission)
    {
        foreach (var identity in user.Identities)
        {
            // ClaimsIdentity.HasClaim compares the type case-insensitively and the value ordinally.
            if (identity.IsAuthenticated && identity.HasClaim(claimType, permission))
            {
                return true;
            }
        }

        return false;
    }
}
