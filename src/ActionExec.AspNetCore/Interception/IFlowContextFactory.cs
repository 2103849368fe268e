using ActionExec.Dispatch;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore;

/// <summary>
/// Builds the <see cref="FlowContext"/> of an HTTP request: the tenant from the <see cref="IActionTenantResolver"/>, the user id
/// from the <c>NameIdentifier</c> or <c>sub</c> claim, the request headers, and whatever the delegates of
/// <c>ConfigureFlowContext</c> add (such as the organisation and project). The interception middleware builds its contexts with
/// it; resolve it in your own endpoints to run a flow with the same context. Registered by <c>AddActionExecutionsApi</c>.
/// </summary>
public interface IFlowContextFactory
{
    /// <summary>Builds the flow context of <paramref name="httpContext"/>.</summary>
    /// <param name="httpContext">The HTTP request; its <see cref="HttpContext.User"/> is authenticated where the host authenticates.</param>
    /// <param name="cancellationToken">Cancels the tenant lookup and the delegates.</param>
    /// <returns>The flow context.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="httpContext"/> is null.</exception>
    /// <exception cref="Errors.ActionExecException">
    /// <see cref="Errors.ActionExecErrorCode.InvalidArgument"/> when the tenant resolver finds no tenant for the request.
    /// </exception>
    ValueTask<FlowContext> CreateAsync(HttpContext httpContext, CancellationToken cancellationToken);
}
