using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.TestConsole;
using Microsoft.Extensions.Options;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The management and console calls that take their request as a JSON body, for the HTTP handlers. The permission and the
/// feature are checked before the body is read, so a caller without the permission learns nothing about its input; then the
/// body is read here and the call goes to the registered <see cref="IActionManagement"/> or <see cref="IActionTestConsole"/>, so a
/// host that replaces either changes what the HTTP API does too. The wire format stays in this package; Core knows only its models.
/// </summary>
internal sealed partial class ManagementJsonCalls
{
    private readonly IActionManagement _management;
    private readonly IActionTestConsole _console;
    private readonly IActionPermissionChecker _permissions;
    private readonly IActionFeatureFlags _features;
    private readonly IOptionsMonitor<ActionExecutionOptions> _options;
    private readonly TargetInvokerRegistry _invokers;

    public ManagementJsonCalls(
        IActionManagement management,
        IActionTestConsole console,
        IActionPermissionChecker permissions,
        IActionFeatureFlags features,
        IOptionsMonitor<ActionExecutionOptions> options,
        TargetInvokerRegistry invokers)
    {
        _management = management;
        _console = console;
        _permissions = permissions;
        _features = features;
        _options = options;
        _invokers = invokers;
    }

    /// <summary><c>SetExecution</c> from its JSON body (<c>{"condition": …, "targets": [ … ]}</c>).</summary>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.SetExecutionAsync"/>; a body that is not valid JSON of that shape is <see cref="ActionExecErrorCode.InvalidArgument"/> with every violation.</exception>
    public async ValueTask<SetExecutionResult> SetExecutionFromJsonAsync(ManagementCaller caller, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        await AuthorizeAsync(caller, ActionPermissions.ExecutionWrite, cancellationToken).ConfigureAwait(false);
        var request = ActionExecJson.ReadSetExecutionRequest(utf8Json.Span);
        return await _management.SetExecutionAsync(caller, request.Condition, request.Entries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a target from its JSON body (<c>{"name", "endpoint", "timeout", "restWebhook"|"restCall"|"restAsync"}</c>).</summary>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.CreateTargetAsync"/>; a body that is not valid JSON of that shape, or breaks a rule of targets, is <see cref="ActionExecErrorCode.InvalidArgument"/> with every violation together.</exception>
    public async ValueTask<CreatedTarget> CreateTargetFromJsonAsync(ManagementCaller caller, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var spec = ActionExecJson.ReadCreateTargetRequest(utf8Json.Span, _options.CurrentValue.MaxTargetTimeout, _invokers.Schemes);
        return await _management.CreateTargetAsync(caller, spec, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>SetExecution</c> from a request in its wire form, made by <paramref name="request"/> only once the permission is checked
    /// (the gRPC services map their messages onto it there): the same permission first, then the same rules and paths as the JSON body.
    /// </summary>
    /// <exception cref="ActionExecException">As <see cref="SetExecutionFromJsonAsync"/>, or as <paramref name="request"/> throws.</exception>
    public async ValueTask<SetExecutionResult> SetExecutionAsync(ManagementCaller caller, Func<SetExecutionRequestJson> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await AuthorizeAsync(caller, ActionPermissions.ExecutionWrite, cancellationToken).ConfigureAwait(false);
        var model = ActionExecJson.ToSetExecutionRequest(request());
        return await _management.SetExecutionAsync(caller, model.Condition, model.Entries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a target from a request in its wire form, made by <paramref name="request"/> once the permission is checked; then the same rules and paths as the JSON body.</summary>
    /// <exception cref="ActionExecException">As <see cref="CreateTargetFromJsonAsync"/>, or as <paramref name="request"/> throws.</exception>
    public async ValueTask<CreatedTarget> CreateTargetAsync(ManagementCaller caller, Func<TargetRequestJson> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var spec = ActionExecJson.ToCreateTargetSpec(request(), _options.CurrentValue.MaxTargetTimeout, _invokers.Schemes);
        return await _management.CreateTargetAsync(caller, spec, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes a target from a request in its wire form, made by <paramref name="request"/> once the permission is checked; then the same rules and paths as the JSON body.</summary>
    /// <exception cref="ActionExecException">As <see cref="UpdateTargetFromJsonAsync"/>, or as <paramref name="request"/> throws.</exception>
    public async ValueTask<Target> UpdateTargetAsync(ManagementCaller caller, string targetId, Func<TargetRequestJson> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var update = ActionExecJson.ToTargetUpdate(request());
        return await _management.UpdateTargetAsync(caller, targetId, update, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes a target from its JSON body (the fields of the create body, all optional).</summary>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.UpdateTargetAsync"/>; a malformed body is <see cref="ActionExecErrorCode.InvalidArgument"/>.</exception>
    public async ValueTask<Target> UpdateTargetFromJsonAsync(ManagementCaller caller, string targetId, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var update = ActionExecJson.ReadUpdateTargetRequest(utf8Json.Span);
        return await _management.UpdateTargetAsync(caller, targetId, update, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the target or execution <paramref name="actionId"/> names against the request in <paramref name="utf8Json"/> and
    /// returns the answer as JSON: <c>{"statusCode", "headers", "body"}</c>, plus <c>"trace"</c> for a chain. The console needs
    /// <c>action.target.write</c>: it calls endpoints signed with the tenant's keys.
    /// </summary>
    /// <exception cref="ActionExecException">As <see cref="IActionTestConsole.ExecuteAsync"/>, with every violation of the body and its field.</exception>
    public async ValueTask<byte[]> ExecuteJsonAsync(ManagementCaller caller, string actionId, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actionId);
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var request = ActionExecJson.ReadConsoleRequest(utf8Json.Span);
        var response = await _console.ExecuteAsync(caller, actionId, request, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteConsoleResponse(response);
    }

    /// <summary>Replays dead letters from the JSON body <c>{"since": "…", "targetId": "…"}</c>.</summary>
    /// <returns>How many dead letters were replayed.</returns>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.ReplayDeadLettersAsync"/>; a body that is not of that shape, or without <c>since</c>, is <see cref="ActionExecErrorCode.InvalidArgument"/>.</exception>
    public async ValueTask<int> ReplayDeadLettersFromJsonAsync(ManagementCaller caller, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        await AuthorizeAsync(caller, ActionPermissions.DeliveryWrite, cancellationToken).ConfigureAwait(false);
        var (since, targetId) = ActionExecJson.ReadReplayDeadLettersRequest(utf8Json.Span);
        return await _management.ReplayDeadLettersAsync(caller, since, targetId, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask AuthorizeAsync(ManagementCaller caller, string permission, CancellationToken cancellationToken) =>
        ActionAuthorization.EnsureAsync(_permissions, _features, caller, permission, cancellationToken);
}
