using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore;

/// <summary>
/// Finds the tenant of an HTTP request, for the management API and for the interception middleware. The default answers with
/// <see cref="ActionExecutionsApiOptions.DefaultTenantId"/>; register your own with <c>UseTenantResolver</c> to read it from a
/// claim, a header or the host name.
/// </summary>
public interface IActionTenantResolver
{
    /// <summary>Returns the tenant of <paramref name="context"/>.</summary>
    /// <param name="context">The HTTP request; its <see cref="HttpContext.User"/> is authenticated where the host authenticates.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The tenant id; <see langword="null"/> or empty when none can be found, which the request is answered with 400 and error code 3 for.</returns>
    ValueTask<string?> ResolveTenantAsync(HttpContext context, CancellationToken cancellationToken);
}
