using ActionExec.Engine;
using ActionExec.Targets;

namespace ActionExec;

/// <summary>
/// The options of the execution engine and its management service. Validated when the host starts. Bound from the root of the
/// section passed to <c>AddActionExecutions(IConfiguration)</c>, such as <c>ActionExec:MaxIncludeDepth</c>.
/// </summary>
public sealed class ActionExecutionOptions
{
    /// <summary>The default claim type that carries permissions: <c>permission</c>.</summary>
    public const string DefaultPermissionClaimType = "permission";

    /// <summary>The most include hops any execution's include chain may have: <c>a → b → c</c> has 2. Default 2; at least 0, at most 32.</summary>
    public int MaxIncludeDepth { get; set; } = 2;

    /// <summary>The largest timeout a target may have. Default 270 seconds; greater than zero.</summary>
    public TimeSpan MaxTargetTimeout { get; set; } = TargetRules.DefaultMaxTimeout;

    /// <summary>Which executions run when several conditions match. Default <see cref="MatchPolicy.BestMatch"/>.</summary>
    public MatchPolicy MatchPolicy { get; set; } = MatchPolicy.BestMatch;

    /// <summary>
    /// Whether the <c>actions</c> feature is enabled for tenants by default. When it is not, <c>SetExecution</c>
    /// fails with <c>FailedPrecondition</c>. A host can decide per tenant by registering its own
    /// <see cref="Management.IActionFeatureFlags"/>. Default <see langword="true"/>.
    /// </summary>
    public bool ActionsEnabled { get; set; } = true;

    /// <summary>
    /// The claim type whose values the default permission checker reads as a user's permissions (the values of
    /// <see cref="Management.ActionPermissions"/>), for <see cref="Management.ManagementCaller.ForUser"/> callers, such as
    /// every caller of the HTTP API. Default <c>permission</c>; not empty.
    /// </summary>
    public string PermissionClaimType { get; set; } = DefaultPermissionClaimType;

    /// <summary>
    /// How long a tenant may go unused (no dispatch, delivery or management call) before the engine drops its compiled snapshot
    /// and stops watching the store for its changes; the next use loads it again. A tenant is dropped between this time and a
    /// quarter of it later (at most one minute later). Default 30 minutes; at least 1 second, or
    /// <see cref="Timeout.InfiniteTimeSpan"/> to keep every tenant loaded for the life of the host.
    /// </summary>
    public TimeSpan TenantIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
