using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore;

/// <summary>
/// The options of the dashboard mapped by <c>MapActionExecutionsDashboard</c>: who may open it. With neither
/// <see cref="AuthorizationPolicy"/> nor <see cref="Authorization"/> set, only a request from the local machine in the
/// Development environment is let in (as a development user holding every action permission); everyone else gets a 401 or 403
/// page. With one or both set, a request must pass each that is set, and it then acts as the user the host authenticated: what
/// that user may see and change is decided by the registered <c>IActionPermissionChecker</c>, as for the management API.
/// </summary>
public sealed class ActionExecutionsDashboardOptions
{
    /// <summary>
    /// The name of an authorization policy (<c>services.AddAuthorization(o => o.AddPolicy(name, …))</c>) every dashboard request must
    /// satisfy; its authentication schemes, if it names any, authenticate the request (such as a cookie scheme used only by the
    /// dashboard). Null (the default) for none.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>
    /// A check every dashboard request must pass, after <see cref="AuthorizationPolicy"/> (like Hangfire's dashboard authorization
    /// filters); <see langword="false"/> answers 403, or 401 when the request is not authenticated. Null (the default) for none.
    /// </summary>
    public Func<HttpContext, bool>? Authorization { get; set; }

    /// <summary>
    /// Where the 401 page links for signing in, such as <c>/sign-in</c> (a local path, starting with one <c>/</c>). Null (the
    /// default) for no link.
    /// </summary>
    public string? SignInPath { get; set; }

    /// <summary>The title shown in the dashboard's header and the browser tab. Default <c>ActionExec</c>.</summary>
    public string Title { get; set; } = "ActionExec";
}
