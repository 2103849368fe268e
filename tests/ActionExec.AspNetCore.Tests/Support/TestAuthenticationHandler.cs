using System.Security.Claims;
using System.Text.Encodings.Web;
using ActionExec.Management;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActionExec.AspNetCore.Tests.Support;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> for a few known keys; each key is a user (<c>sub</c> = <c>user-&lt;key&gt;</c>)
/// with its own permission claims. No header: no identity. An unknown key: a failed authentication.
/// </summary>
public sealed class TestAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";

    /// <summary>Every permission, as <c>permission</c> claims.</summary>
    public const string Admin = "admin";

    /// <summary>The three read permissions.</summary>
    public const string Reader = "reader";

    /// <summary>Authenticated, without any permission.</summary>
    public const string Nobody = "nobody";

    /// <summary>Every permission, as <c>scope</c> claims.</summary>
    public const string Scoped = "scoped";

    private static readonly string[] All =
    [
        ActionPermissions.TargetRead, ActionPermissions.TargetWrite, ActionPermissions.ExecutionRead, ActionPermissions.ExecutionWrite,
        ActionPermissions.DeliveryRead, ActionPermissions.DeliveryWrite,
    ];

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = header["Bearer ".Length..];
        (string ClaimType, string[] Permissions)? grant = key switch
        {
            Admin => ("permission", All),
            Reader => ("permission", [ActionPermissions.TargetRead, ActionPermissions.ExecutionRead, ActionPermissions.DeliveryRead]),
            Nobody => ("permission", []),
            Scoped => ("scope", All),
            _ => null,
        };
        if (grant is not { } known)
        {
            return Task.FromResult(AuthenticateResult.Fail("The key is not known."));
        }

        Claim[] claims = [new Claim("sub", "user-" + key), .. known.Permissions.Select(p => new Claim(known.ClaimType, p))];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
