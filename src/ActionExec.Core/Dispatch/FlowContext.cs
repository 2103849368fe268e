using System.Collections.Immutable;

namespace ActionExec.Dispatch;

/// <summary>
/// Who and where a flow runs for: the tenant (sent as <c>instanceID</c>), the organisation, project and user ids, and the
/// request headers (only those on <see cref="DispatchOptions.HeaderAllowList"/> are sent to targets).
/// </summary>
public sealed record FlowContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="tenantId">The tenant (ZITADEL: the instance id); not empty.</param>
    public FlowContext(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        TenantId = tenantId;
    }

    /// <summary>The tenant, sent as <c>instanceID</c>.</summary>
    public string TenantId { get; }

    /// <summary>The organisation id, sent as <c>orgID</c>; omitted when null.</summary>
    public string? OrgId { get; init; }

    /// <summary>The project id, sent as <c>projectID</c>; omitted when null.</summary>
    public string? ProjectId { get; init; }

    /// <summary>The user id, sent as <c>userID</c>; omitted when null.</summary>
    public string? UserId { get; init; }

    /// <summary>The request headers (name, values). Only allow-listed ones reach targets, as <c>headers</c>.</summary>
    public ImmutableArray<KeyValuePair<string, string[]>> Headers { get; init; } = [];
}
