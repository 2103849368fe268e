namespace ActionExec.Dispatch;

/// <summary>
/// Options of the flows and of target calls. Bound from <c>Dispatch</c> by <c>AddActionExecutions(IConfiguration)</c>; configured
/// <c>HeaderAllowList</c> entries are added to the default headers.
/// </summary>
public sealed class DispatchOptions
{
    /// <summary>The default largest answer a target may give: 1 MiB.</summary>
    public const int DefaultMaxResponseBytes = 1024 * 1024;

    /// <summary>The default lifetime of a JWT or JWE payload: 5 minutes, the signatures' tolerance.</summary>
    public static readonly TimeSpan DefaultPayloadTokenLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The largest answer body a target may give; a larger one fails the call. Default 1 MiB.</summary>
    public int MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>
    /// The request headers passed to targets in the payload's <c>headers</c> (case-insensitive); every other header is
    /// dropped. Default: Content-Type, X-Forwarded-For, X-Forwarded-Host, Host, Origin. Add your own here.
    /// </summary>
    public ISet<string> HeaderAllowList { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "X-Forwarded-For", "X-Forwarded-Host", "Host", "Origin",
    };

    /// <summary>
    /// How long a JWT or JWE payload is valid: its <c>exp</c> is its <c>iat</c> (the attempt's time) plus this. Greater than zero,
    /// at most one day. Default 5 minutes. Each attempt of a delivery gets a new token.
    /// </summary>
    public TimeSpan PayloadTokenLifetime { get; set; } = DefaultPayloadTokenLifetime;

    /// <summary>
    /// The <c>iss</c> claim of JWT and JWE payloads, for example the host's public URL; <see langword="null"/> (the default) sends none.
    /// </summary>
    public string? PayloadTokenIssuer { get; set; }
}
