using System.Security.Claims;
using ActionExec.Management;
using Microsoft.Extensions.Options;

namespace ActionExec.AspNetCore;

/// <summary>
/// The permission checker of HTTP hosts: a caller holds a permission when an authenticated identity of its user carries a claim of
/// type <see cref="ActionExecutionsApiOptions.PermissionClaimType"/> (default <c>permission</c>) whose value is exactly that
/// permission, such as <c>action.execution.write</c> (see <see cref="ActionPermissions"/>). A caller without a user holds none.
/// The claims are read the same way in every tenant; a host whose permissions differ per tenant registers its own
/// <see cref="IActionPermissionChecker"/>.
/// </summary>
public sealed class ClaimsPermissionChecker : IActionPermissionChecker
{
    private readonly IOptionsMonitor<ActionExecutionsApiOptions> _options;

    /// <summary>Creates the checker.</summary>
    /// <param name="options">The options that name the permission claim type; re-read on every check.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ClaimsPermissionChecker(IOptionsMonitor<ActionExecutionsApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Whether an authenticated identity of the caller's user carries the permission as a claim.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="permission">The permission, one of <see cref="ActionPermissions"/>; compared ordinally.</param>
    /// <param name="cancellationToken">Not used: the check reads the claims in memory.</param>
    /// <returns><see langword="true"/> when the claim is present.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="caller"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="permission"/> is null or empty.</exception>
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
