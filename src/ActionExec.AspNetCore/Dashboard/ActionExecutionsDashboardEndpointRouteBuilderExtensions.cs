using ActionExec.AspNetCore;
using ActionExec.AspNetCore.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the ActionExec dashboard: a web UI over the management API, served from this package.</summary>
public static class ActionExecutionsDashboardEndpointRouteBuilderExtensions
{
    /// <summary>The prefix <see cref="MapActionExecutionsDashboard"/> uses when none is given: <c>/actions</c>.</summary>
    public const string DefaultPrefix = "/actions";

    /// <summary>
    /// Maps the dashboard at <paramref name="prefix"/>: its page at <c>{prefix}/</c> (targets, executions, explain, the test console
    /// and deliveries), its files (embedded in this package; nothing is loaded from anywhere else), and the management API again
    /// under <c>{prefix}/api</c>: the same handlers, shapes and codes as <c>MapActionExecutionsApi()</c>, plus
    /// <c>GET {prefix}/api/me</c> (the user, the tenant, the permissions and the antiforgery token).
    /// <list type="bullet">
    /// <item>Who may use it: <see cref="ActionExecutionsDashboardOptions.AuthorizationPolicy"/> and
    /// <see cref="ActionExecutionsDashboardOptions.Authorization"/>; with neither, only local requests in Development (401 or 403 page
    /// otherwise).</item>
    /// <item>What each user may see and change: the registered <c>IActionPermissionChecker</c>, as for the API.</item>
    /// <item>Every request of the API that can change something must carry the antiforgery token (otherwise 403, code 7).</item>
    /// <item>Every response carries a strict Content-Security-Policy (no inline script or style, nothing from another origin, no
    /// framing), <c>X-Content-Type-Options: nosniff</c> and <c>Referrer-Policy: no-referrer</c>.</item>
    /// </list>
    /// </summary>
    /// <param name="endpoints">The endpoint route builder, such as the <c>WebApplication</c>.</param>
    /// <param name="prefix">The path of the dashboard, such as <c>/actions</c>: starts with <c>/</c>, does not end with one, no route parameters.</param>
    /// <param name="configure">Sets the options, such as <c>o => o.AuthorizationPolicy = "ActionsAdmin"</c>.</param>
    /// <returns>The group of the dashboard's endpoints, to add conventions to, such as <c>RequireRateLimiting(…)</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="prefix"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is not a plain path.</exception>
    /// <exception cref="InvalidOperationException">The API's services are not registered (call <c>AddActionExecutions().AddActionExecutionsApi()</c>),
    /// or an authorization policy is named without the authorization services.</exception>
    public static RouteGroupBuilder MapActionExecutionsDashboard(
        this IEndpointRouteBuilder endpoints,
        string prefix = DefaultPrefix,
        Action<ActionExecutionsDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length < 2 || prefix[0] != '/' || prefix[^1] == '/' || prefix.AsSpan().IndexOfAny("{}?#*\\") >= 0 || prefix.Contains("//", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The dashboard prefix '{prefix}' is not a plain path; give one such as /actions (starting with '/', not ending with one, without route parameters).",
                nameof(prefix));
        }

        var api = ActionExecutionsApiEndpointRouteBuilderExtensions.Handlers(endpoints, nameof(MapActionExecutionsDashboard));
        var options = new ActionExecutionsDashboardOptions();
        configure?.Invoke(options);
        if (options.SignInPath is { } signIn && (!signIn.StartsWith('/') || signIn.StartsWith("//", StringComparison.Ordinal)))
        {
            throw new ArgumentException(
                $"The sign-in path '{signIn}' is not a local path; give one such as /sign-in (starting with one '/').",
                nameof(configure));
        }

        var dashboard = new DashboardEndpoints(options, endpoints.ServiceProvider);
        var group = endpoints.MapGroup(prefix);
        group.MapMethods("/api/me", [HttpMethods.Get], dashboard.MeAsync).WithDisplayName("ActionExec dashboard Me");
        var apiGroup = group.MapGroup("/api");
        ActionExecutionsApiEndpointRouteBuilderExtensions.MapRoutes(new ApiRouteMapper(apiGroup, dashboard.Api, "ActionExec dashboard "), api);
        group.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Head], dashboard.PageAsync).WithDisplayName("ActionExec dashboard");
        return group;
    }
}
