using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ActionExec.Errors;
using ActionExec.Management;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ActionExec.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's gate and its own endpoints. Every request under the prefix passes <see cref="AuthorizeAsync"/> first (the
/// host's policy and predicate, or the Development rule when neither is set) and is answered with the security headers; the
/// management API mapped under <c>{prefix}/api</c> runs the same handlers as the API at the root, after an antiforgery check on
/// every method that can change something.
/// </summary>
internal sealed class DashboardEndpoints
{
    /// <summary>The policy of every dashboard response: nothing but the dashboard's own files, no inline script or style, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>The authentication type of the user a local request in Development acts as.</summary>
    public const string DevelopmentAuthenticationType = "ActionExecDashboardDevelopment";

    private static readonly string[] AllPermissions =
    [
        ActionPermissions.TargetRead, ActionPermissions.TargetWrite, ActionPermissions.ExecutionRead, ActionPermissions.ExecutionWrite,
        ActionPermissions.DeliveryRead, ActionPermissions.DeliveryWrite,
    ];

    private readonly ActionExecutionsDashboardOptions _options;
    private readonly IServiceProvider _services;
    private readonly IAntiforgery _antiforgery;
    private readonly bool _development;

    public DashboardEndpoints(ActionExecutionsDashboardOptions options, IServiceProvider services)
    {
        _options = options;
        _services = services;
        _antiforgery = services.GetService<IAntiforgery>()
            ?? throw new InvalidOperationException(
                "The dashboard needs antiforgery, which AddActionExecutionsApi() registers; call services.AddActionExecutions().AddActionExecutionsApi() before MapActionExecutionsDashboard().");
        _development = services.GetService<IHostEnvironment>()?.IsDevelopment() == true;
        if (options.AuthorizationPolicy is not null && services.GetService<IPolicyEvaluator>() is null)
        {
            throw new InvalidOperationException(
                $"The dashboard's authorization policy '{options.AuthorizationPolicy}' needs the authorization services; call services.AddAuthorization(o => o.AddPolicy(\"{options.AuthorizationPolicy}\", …)).");
        }
    }

    /// <summary>The dashboard's pages and files: <c>GET {prefix}/</c> is the index page, <c>GET {prefix}/{path}</c> a file.</summary>
    public async Task PageAsync(HttpContext context)
    {
        AddSecurityHeaders(context, isApi: false);
        if (await AuthorizeAsync(context).ConfigureAwait(false) is var access and not DashboardAccess.Allowed)
        {
            await WriteDeniedPageAsync(context, access).ConfigureAwait(false);
            return;
        }

        var path = context.Request.RouteValues["path"] as string;
        if (string.IsNullOrEmpty(path))
        {
            // The page's files are addressed relative to it (a <base> element is forbidden by base-uri 'none'), so the index page
            // is always served at the prefix with its trailing slash.
            if (!(context.Request.Path.Value ?? "").EndsWith('/'))
            {
                context.Response.Redirect(context.Request.PathBase + context.Request.Path + "/" + context.Request.QueryString);
                return;
            }

            path = "index.html";
        }

        if (!await DashboardAssets.Shared.TryWriteAsync(context, path).ConfigureAwait(false))
        {
            await WritePageAsync(context, StatusCodes.Status404NotFound, "Not found", "The dashboard has no page or file at this address.", link: null).ConfigureAwait(false);
        }
    }

    /// <summary>Wraps a handler of the management API: the gate, then the antiforgery check on an unsafe method, then the handler.</summary>
    public RequestDelegate Api(RequestDelegate handler) => async context =>
    {
        AddSecurityHeaders(context, isApi: true);
        if (await AuthorizeAsync(context).ConfigureAwait(false) is var access and not DashboardAccess.Allowed)
        {
            await HttpJson.WriteErrorAsync(context, DeniedError(access)).ConfigureAwait(false);
            return;
        }

        var method = context.Request.Method;
        if (!(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
            && !await _antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            await HttpJson.WriteErrorAsync(context, new ActionExecException(
                ActionExecErrorCode.PermissionDenied,
                $"The request has no valid antiforgery token; the dashboard sends it in the '{AntiforgeryHeaderName()}' header with its cookie. Reload the dashboard to get a new one.")).ConfigureAwait(false);
            return;
        }

        await handler(context).ConfigureAwait(false);
    };

    /// <summary>
    /// <c>GET {prefix}/api/me</c> → <c>{"title", "user", "tenant", "permissions": [...], "antiforgery": {"headerName", "token"}, "limits": {"maxIncludeDepth"}}</c>:
    /// who the dashboard acts for, which of the action permissions the registered checker grants (the page hides what the user may
    /// not change; the API refuses it anyway), and the antiforgery token for the requests that change something.
    /// </summary>
    public Task MeAsync(HttpContext context) => Api(WriteMeAsync)(context);

    private async Task WriteMeAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        ManagementCaller caller;
        try
        {
            caller = await HttpManagementCaller.ResolveAsync(_services.GetRequiredService<IActionTenantResolver>(), context, cancellationToken).ConfigureAwait(false);
        }
        catch (ActionExecException error)
        {
            await HttpJson.WriteErrorAsync(context, error).ConfigureAwait(false);
            return;
        }

        var checker = _services.GetRequiredService<IActionPermissionChecker>();
        var granted = new List<string>(AllPermissions.Length);
        foreach (var permission in AllPermissions)
        {
            if (await checker.HasPermissionAsync(caller, permission, cancellationToken).ConfigureAwait(false))
            {
                granted.Add(permission);
            }
        }

        var tokens = _antiforgery.GetAndStoreTokens(context);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("title", _options.Title);
            json.WriteString("user", context.User.Identity?.Name ?? context.User.FindFirst("sub")?.Value ?? "");
            json.WriteString("tenant", caller.TenantId);
            json.WriteStartArray("permissions");
            foreach (var permission in granted)
            {
                json.WriteStringValue(permission);
            }

            json.WriteEndArray();
            json.WriteStartObject("antiforgery");
            json.WriteString("headerName", tokens.HeaderName);
            json.WriteString("token", tokens.RequestToken);
            json.WriteEndObject();

            // The Executions page checks an include change against the engine's own limit before it sends it.
            json.WriteStartObject("limits");
            json.WriteNumber("maxIncludeDepth", _services.GetRequiredService<IOptions<ActionExecutionOptions>>().Value.MaxIncludeDepth);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        await HttpJson.WriteAsync(context, buffer.ToArray()).ConfigureAwait(false);
    }

    private string AntiforgeryHeaderName() =>
        _services.GetService<IOptions<AntiforgeryOptions>>()?.Value.HeaderName ?? "RequestVerificationToken";

    private async Task<DashboardAccess> AuthorizeAsync(HttpContext context)
    {
        if (_options.AuthorizationPolicy is null && _options.Authorization is null)
        {
            return AdmitDevelopment(context);
        }

        if (_options.AuthorizationPolicy is { } name)
        {
            var policy = await _services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(name).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The dashboard's authorization policy '{name}' is not defined; add it with services.AddAuthorization(o => o.AddPolicy(\"{name}\", …)).");
            var evaluator = _services.GetRequiredService<IPolicyEvaluator>();
            var authentication = await evaluator.AuthenticateAsync(policy, context).ConfigureAwait(false);
            var result = await evaluator.AuthorizeAsync(policy, authentication, context, resource: null).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return result.Challenged ? DashboardAccess.Unauthenticated : DashboardAccess.Forbidden;
            }
        }

        if (_options.Authorization is { } predicate && !predicate(context))
        {
            return IsAuthenticated(context.User) ? DashboardAccess.Forbidden : DashboardAccess.Unauthenticated;
        }

        return DashboardAccess.Allowed;
    }

    /// <summary>
    /// With no authorization configured: only in Development and only from the local machine, where the request acts as the
    /// signed-in user if there is one, else as a development user with every action permission (under the claim type the default
    /// permission checker reads).
    /// </summary>
    private DashboardAccess AdmitDevelopment(HttpContext context)
    {
        if (!_development || !IsLocal(context))
        {
            return DashboardAccess.Forbidden;
        }

        if (!IsAuthenticated(context.User))
        {
            var claimType = _services.GetService<IOptionsMonitor<ActionExecutionOptions>>()?.CurrentValue.PermissionClaimType
                ?? ActionExecutionOptions.DefaultPermissionClaimType;
            Claim[] claims = [new("sub", "development"), new(ClaimTypes.Name, "development"), .. AllPermissions.Select(p => new Claim(claimType, p))];
            context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, DevelopmentAuthenticationType));
        }

        return DashboardAccess.Allowed;
    }

    private static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote)
        || (context.Connection.LocalIpAddress is { } local && remote.Equals(local));

    private static bool IsAuthenticated(ClaimsPrincipal user) => user.Identities.Any(static i => i.IsAuthenticated);

    private static ActionExecException DeniedError(DashboardAccess access) => access == DashboardAccess.Unauthenticated
        ? new ActionExecException(ActionExecErrorCode.Unauthenticated, "The dashboard needs you to sign in; sign in and reload the dashboard.")
        : new ActionExecException(ActionExecErrorCode.PermissionDenied, "You may not use this dashboard; ask its operator for access.");

    private Task WriteDeniedPageAsync(HttpContext context, DashboardAccess access) => access == DashboardAccess.Unauthenticated
        ? WritePageAsync(context, StatusCodes.Status401Unauthorized, "Sign in", "This dashboard needs you to sign in.", _options.SignInPath)
        : WritePageAsync(
            context,
            StatusCodes.Status403Forbidden,
            "Access denied",
            _options.AuthorizationPolicy is null && _options.Authorization is null
                ? "This dashboard is open only on the local machine in the Development environment until its host configures who may use it."
                : "You may not use this dashboard; ask its operator for access.",
            _options.SignInPath);

    /// <summary>A small page of its own (no script, no style), so that a denied request never reaches the dashboard's files.</summary>
    private static async Task WritePageAsync(HttpContext context, int status, string title, string message, string? link)
    {
        var html = HtmlEncoder.Default;
        var text = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(html.Encode(title))
            .Append("</title></head><body><main><h1>")
            .Append(html.Encode(title))
            .Append("</h1><p id=\"message\">")
            .Append(html.Encode(message))
            .Append("</p>");
        if (link is not null)
        {
            text.Append("<p><a id=\"sign-in\" href=\"").Append(html.Encode(link)).Append("\">Sign in</a></p>");
        }

        text.Append("</main></body></html>");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the headers when the response starts, so that they survive a handler that clears the response to answer an error.
    /// </summary>
    private static void AddSecurityHeaders(HttpContext context, bool isApi)
    {
        context.Response.OnStarting(static state =>
        {
            var (response, api) = ((HttpResponse, bool))state;
            var headers = response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            if (api)
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        }, (context.Response, isApi));
    }
}
