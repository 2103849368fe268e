using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ActionExec.Samples.WebApi.Authentication;

/// <summary>
/// How a browser signs in to the dashboard outside Development. A browser cannot send the API's bearer header, so
/// <c>GET /sign-in</c> shows a form for a key and <c>POST /sign-in</c> (with its antiforgery token) turns a known key into a cookie of
/// the <see cref="SchemeName"/> scheme, which only the dashboard's policy <see cref="PolicyName"/> reads: the API at the root keeps
/// accepting bearer keys alone, so a cookie can never call it. The admin key signs in the administrator, the reader key a read-only
/// user. <c>POST /sign-out</c> removes the cookie.
/// </summary>
internal static class DashboardSignIn
{
    public const string SchemeName = "DashboardCookie";

    public const string PolicyName = "ActionExecDashboard";

    public const string SignInPath = "/sign-in";

    public const string SignOutPath = "/sign-out";

    private const string ContentSecurityPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Adds the cookie scheme and the dashboard's policy.</summary>
    public static void AddServices(IServiceCollection services, AuthenticationBuilder authentication)
    {
        authentication.AddCookie(SchemeName, static o =>
        {
            o.Cookie.Name = "ActionExec.Sample.Dashboard";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = SignInPath;
        });
        services.AddAuthorization(static o => o.AddPolicy(PolicyName, static p => p.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser()));
    }

    /// <summary>Maps <c>GET</c> and <c>POST /sign-in</c> and <c>POST /sign-out</c>.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SignInPath, static context => WriteFormAsync(context, StatusCodes.Status200OK, error: null));
        endpoints.MapPost(SignInPath, SignInAsync);
        endpoints.MapPost(SignOutPath, SignOutAsync);
    }

    private static async Task SignInAsync(HttpContext context)
    {
        if (!await ValidAsync(context))
        {
            await WriteFormAsync(context, StatusCodes.Status400BadRequest, "The form expired; sign in again.");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var keys = context.RequestServices.GetRequiredService<IOptionsMonitor<SampleOptions>>().CurrentValue;
        if (SampleUsers.ForKey(form["key"].ToString(), keys, SchemeName) is not { } user)
        {
            await WriteFormAsync(context, StatusCodes.Status401Unauthorized, "That key is not known; give the admin key or the reader key.");
            return;
        }

        await context.SignInAsync(SchemeName, user);
        context.Response.Redirect(context.Request.PathBase + WebApiSample.DashboardPath + "/");
    }

    private static async Task SignOutAsync(HttpContext context)
    {
        if (!await ValidAsync(context))
        {
            await WriteFormAsync(context, StatusCodes.Status400BadRequest, "The form expired; try again.");
            return;
        }

        await context.SignOutAsync(SchemeName);
        context.Response.Redirect(context.Request.PathBase + SignInPath);
    }

    private static async Task<bool> ValidAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return false;
        }

        return await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
    }

    /// <summary>The form, its values encoded; no script and no style.</summary>
    private static async Task WriteFormAsync(HttpContext context, int status, string? error)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var html = HtmlEncoder.Default;
        var page = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in · ActionExec sample</title></head><body><main>")
            .Append("<h1>Sign in to the actions dashboard</h1>");
        if (error is not null)
        {
            page.Append("<p id=\"error\" role=\"alert\">").Append(html.Encode(error)).Append("</p>");
        }

        page.Append("<form method=\"post\" action=\"").Append(html.Encode(context.Request.PathBase + SignInPath)).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(html.Encode(tokens.FormFieldName)).Append("\" value=\"").Append(html.Encode(tokens.RequestToken ?? "")).Append("\">")
            .Append("<label>Key <input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" required></label> ")
            .Append("<button id=\"sign-in\" type=\"submit\">Sign in</button></form>")
            .Append("<p>The admin key changes everything; the reader key only reads.</p></main></body></html>");
        var bytes = Encoding.UTF8.GetBytes(page.ToString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
