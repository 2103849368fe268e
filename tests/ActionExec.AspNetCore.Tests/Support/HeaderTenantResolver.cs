using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore.Tests.Support;

/// <summary>Reads the tenant from the <c>X-Tenant</c> header; none without it.</summary>
public sealed class HeaderTenantResolver : IActionTenantResolver
{
    public const string Header = "X-Tenant";

    public ValueTask<string?> ResolveTenantAsync(HttpContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(context.Request.Headers[Header].ToString() is { Length: > 0 } tenant ? tenant : null);
}
