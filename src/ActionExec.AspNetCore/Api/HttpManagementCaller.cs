using ActionExec.Errors;
using ActionExec.Management;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore;

/// <summary>
/// Who calls the management API, from the request: the host's authentication must have made the user, the registered
/// <see cref="IActionTenantResolver"/> names the tenant. One place for every transport that serves the management API
/// (the HTTP routes, and gRPC and gRPC-Web through <c>ServerCallContext.GetHttpContext()</c>), so that each makes the same caller
/// and fails the same way.
/// </summary>
internal static class HttpManagementCaller
{
    /// <summary>The caller of <paramref name="context"/>: a user (<see cref="ManagementCaller.ForUser"/>) in the resolved tenant.</summary>
    /// <param name="tenants">The tenant resolver.</param>
    /// <param name="context">The request.</param>
    /// <param name="cancellationToken">Cancels the resolution.</param>
    /// <returns>The caller.</returns>
    /// <exception cref="ActionExecException">No identity of the user is authenticated (<see cref="ActionExecErrorCode.Unauthenticated"/>), or no tenant resolves (as <see cref="TenantResolution.ResolveAsync"/>).</exception>
    public static async ValueTask<ManagementCaller> ResolveAsync(IActionTenantResolver tenants, HttpContext context, CancellationToken cancellationToken)
    {
        if (!context.User.Identities.Any(static i => i.IsAuthenticated))
        {
            throw new ActionExecException(
                ActionExecErrorCode.Unauthenticated,
                "The request is not authenticated; send the credentials this service accepts, such as an 'Authorization' header.");
        }

        var tenant = await TenantResolution.ResolveAsync(tenants, context, cancellationToken).ConfigureAwait(false);
        return ManagementCaller.ForUser(tenant, context.User);
    }
}
