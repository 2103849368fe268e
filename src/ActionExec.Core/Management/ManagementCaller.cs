using System.Security.Claims;

namespace ActionExec.Management;

/// <summary>Who calls the management service: the tenant whose targets and executions are meant, and the user where known.</summary>
public sealed record ManagementCaller
{
    /// <summary>Creates a caller.</summary>
    /// <param name="tenantId">The tenant (ZITADEL: the instance); not empty.</param>
    /// <param name="user">The authenticated user, if any; passed to the <see cref="IActionPermissionChecker"/>.</param>
    public ManagementCaller(string tenantId, ClaimsPrincipal? user = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        TenantId = tenantId;
        User = user;
    }

    /// <summary>The tenant.</summary>
    public string TenantId { get; }

    /// <summary>The authenticated user, if any.</summary>
    public ClaimsPrincipal? User { get; }
}
