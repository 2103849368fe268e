using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using ActionExec.Management;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ActionExec.Samples.WebApi.Authentication;

/// <summary>
/// The sample's authentication: <c>Authorization: Bearer &lt;key&gt;</c> with one of two configured keys. The administrator's key
/// carries every permission of the management API, the reader's key only the three read permissions, each as a <c>permission</c>
/// claim (what the default permission checker reads). No header is no identity and an unknown key a failed authentication; either
/// way the management API answers 401 with code 16. A real host uses its own scheme (JWT bearer, cookies, …) instead.
/// </summary>
internal sealed class BearerKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<SampleOptions> sample)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "BearerKey";

    private const string BearerPrefix = "Bearer ";

    private static readonly string[] AdminPermissions =
    [
        ActionPermissions.TargetRead, ActionPermissions.TargetWrite, ActionPermissions.ExecutionRead, ActionPermissions.ExecutionWrite,
        ActionPermissions.DeliveryRead, ActionPermissions.DeliveryWrite,
    ];

    private static readonly string[] ReaderPermissions = [ActionPermissions.ExecutionRead, ActionPermissions.TargetRead, ActionPermissions.DeliveryRead];

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = header[BearerPrefix.Length..].Trim();
        var keys = sample.CurrentValue;
        (string User, string[] Permissions)? caller =
            KeyEquals(key, keys.AdminKey) ? ("admin", AdminPermissions)
            : KeyEquals(key, keys.ReaderKey) ? ("reader", ReaderPermissions)
            : null;
        if (caller is not { } known)
        {
            return Task.FromResult(AuthenticateResult.Fail("The bearer key is not known."));
        }

        Claim[] claims = [new("sub", known.User), .. known.Permissions.Select(static p => new Claim("permission", p))];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, "sub", ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>Compares in constant time, so that the answer's timing does not tell how much of a guessed key was right.</summary>
    private static bool KeyEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
