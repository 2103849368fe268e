using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ActionExec.AspNetCore;

/// <summary>The default tenant resolver: one tenant for every request, <see cref="ActionExecutionsApiOptions.DefaultTenantId"/>.</summary>
internal sealed class OptionsTenantResolver(IOptionsMonitor<ActionExecutionsApiOptions> options) : IActionTenantResolver
{
    public ValueTask<string?> ResolveTenantAsync(HttpContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(options.CurrentValue.DefaultTenantId);
}
