using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ActionExec.Samples.WebApi.Authentication;

/// <summary>
/// The sample's authentication of the API: <c>Authorization: Bearer &lt;key&gt;</c> with one of two configured keys, each the key
/// of one of the <see cref="SampleUsers"/> (the administrator, the reader). No header is no identity and an unknown key a failed authentication; either
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

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = header[BearerPrefix.Length..].Trim();
        if (SampleUsers.ForKey(key, sample.CurrentValue, SchemeName) is not { } principal)
        {
            return Task.FromResult(AuthenticateResult.Fail("The bearer key is not known."));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
