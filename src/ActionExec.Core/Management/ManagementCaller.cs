using System.Security.Claims;

namespace ActionExec.Management;

/// <summary>
/// Who calls the management service and the test console: the tenant whose targets and executions are meant, and on whose
/// authority. Made in one of two ways, so that the authority is always explicit: <see cref="ForHost"/> for the host's own
/// trusted code (no permission check) and <see cref="ForUser"/> for a user, whose permissions the registered
/// <see cref="IActionPermissionChecker"/> decides. The <c>actions</c> feature applies to both.
/// </summary>
public sealed record ManagementCaller
{
    private ManagementCaller(string tenantId, ClaimsPrincipal? user)
    {
        TenantId = tenantId;
        User = user;
    }

    /// <summary>The tenant (ZITADEL: the instance).</summary>
    public string TenantId { get; }

    /// <summary>The user a <see cref="ForUser"/> caller acts for; <see langword="null"/> for the host's own calls.</summary>
    public ClaimsPrincipal? User { get; }

    /// <summary>
    /// Whether this is the host's own trusted code (<see cref="ForHost"/>): its calls hold every permission and the
    /// <see cref="IActionPermissionChecker"/> is not asked.
    /// </summary>
    public bool IsHost => User is null;

    /// <summary>
    /// The host's own code, such as a seeding step or an admin tool the host protects itself: it holds every permission, and the
    /// permission checker is not asked. The <c>actions</c> feature still applies.
    /// </summary>
    /// <param name="tenantId">The tenant (ZITADEL: the instance); not empty.</param>
    /// <returns>The caller.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is null or empty.</exception>
    public static ManagementCaller ForHost(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return new ManagementCaller(tenantId, user: null);
    }

    /// <summary>
    /// A user, whose every call is checked by the registered <see cref="IActionPermissionChecker"/>. The default checker grants a
    /// permission when an authenticated identity of <paramref name="user"/> carries it as a claim of type
    /// <see cref="ActionExecutionOptions.PermissionClaimType"/> (default <c>permission</c>); an unauthenticated user holds none.
    /// The HTTP API makes every caller this way.
    /// </summary>
    /// <param name="tenantId">The tenant (ZITADEL: the instance); not empty.</param>
    /// <param name="user">The user; not null (use <see cref="ForHost"/> for the host's own code).</param>
    /// <returns>The caller.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is null.</exception>
    public static ManagementCaller ForUser(string tenantId, ClaimsPrincipal user)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(user);
        return new ManagementCaller(tenantId, user);
    }
}
