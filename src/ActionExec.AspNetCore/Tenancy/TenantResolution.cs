using ActionExec.Errors;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore;

/// <summary>Asks the tenant resolver and turns "no tenant" into the error the request is answered with.</summary>
internal static class TenantResolution
{
    /// <summary>Returns the request's tenant.</summary>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.InvalidArgument"/> when the resolver finds none.</exception>
    public static async ValueTask<string> ResolveAsync(IActionTenantResolver resolver, HttpContext context, CancellationToken cancellationToken)
    {
        var tenant = await resolver.ResolveTenantAsync(context, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(tenant))
        {
            return tenant;
        }

        throw new ActionExecException(
            ActionExecErrorCode.InvalidArgument,
            resolver is OptionsTenantResolver
                ? "No tenant was found for this request: ActionExecutionsApiOptions.DefaultTenantId is empty; set it, or register a tenant resolver with UseTenantResolver."
                : $"No tenant was found for this request: the {resolver.GetType().Name} found none; send the request with what it reads the tenant from.");
    }
}
