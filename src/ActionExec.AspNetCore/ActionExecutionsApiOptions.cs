namespace ActionExec.AspNetCore;

/// <summary>
/// The options of the HTTP surface: the largest request body and the tenant of the default resolver. (The claim that carries
/// permissions is <c>ActionExecutionOptions.PermissionClaimType</c>: the default checker is the same for in-process callers.)
/// Set them with <c>AddActionExecutionsApi</c>; they are validated when the host starts.
/// </summary>
public sealed class ActionExecutionsApiOptions
{
    /// <summary>The default largest request body: 1 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The tenant the default resolver answers with unless <see cref="DefaultTenantId"/> is changed: <c>default</c>.</summary>
    public const string DefaultTenant = "default";

    /// <summary>
    /// The largest request body, in bytes, that the management API and the interception middleware read; a larger one is
    /// answered with 413 and error code 3. Default 1 MiB; at least 1, at most <see cref="Array.MaxLength"/>.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>
    /// The tenant of every request when no <see cref="IActionTenantResolver"/> of the host is registered. Default <c>default</c>;
    /// null or empty makes every request fail with 400 and error code 3 until a resolver is registered.
    /// </summary>
    public string? DefaultTenantId { get; set; } = DefaultTenant;
}
