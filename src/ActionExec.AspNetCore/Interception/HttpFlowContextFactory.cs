using System.Collections.Immutable;
using System.Security.Claims;
using ActionExec.Dispatch;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore;

/// <summary>
/// The default <see cref="IFlowContextFactory"/>: tenant, user id and headers from the request, then every delegate of
/// <c>ConfigureFlowContext</c> in the order they were registered.
/// </summary>
internal sealed class HttpFlowContextFactory(IActionTenantResolver tenants, FlowContextConfigurations? configurations = null) : IFlowContextFactory
{
    public async ValueTask<FlowContext> CreateAsync(HttpContext httpContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var tenant = await TenantResolution.ResolveAsync(tenants, httpContext, cancellationToken).ConfigureAwait(false);
        var user = httpContext.User;
        var requestHeaders = httpContext.Request.Headers;
        var headers = ImmutableArray.CreateBuilder<KeyValuePair<string, string[]>>(requestHeaders.Count);
        foreach (var (name, values) in requestHeaders)
        {
            headers.Add(KeyValuePair.Create(name, values.Select(static v => v ?? "").ToArray()));
        }

        var context = new FlowContext(tenant)
        {
            UserId = user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("sub")?.Value,
            Headers = headers.DrainToImmutable(),
        };
        if (configurations is null)
        {
            return context;
        }

        foreach (var configure in configurations.Configure)
        {
            context = await configure(httpContext, context, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException(
                    "A ConfigureFlowContext delegate returned null; return the flow context it was given, changed with 'with { OrgId = …, ProjectId = … }'.");
        }

        return context;
    }
}
