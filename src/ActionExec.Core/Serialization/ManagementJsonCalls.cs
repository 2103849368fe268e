using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;

namespace ActionExec.Serialization;

/// <summary>
/// The management calls that take their request as a JSON body, for the HTTP handlers. The permission and the feature are
/// checked before the body is read, so a caller without the permission learns nothing about its input; the wire format stays
/// here, and the management service knows only its models.
/// </summary>
internal static class ManagementJsonCalls
{
    /// <summary><c>SetExecution</c> from its JSON body (<c>{"condition": …, "targets": [ … ]}</c>).</summary>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.SetExecutionAsync"/>; a body that is not valid JSON of that shape is <see cref="ActionExecErrorCode.InvalidArgument"/> with every violation.</exception>
    public static async ValueTask<SetExecutionResult> SetExecutionFromJsonAsync(this ActionManagementService management, ManagementCaller caller, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(management);
        await management.AuthorizeAsync(caller, ActionPermissions.ExecutionWrite, cancellationToken).ConfigureAwait(false);
        var request = ActionExecJson.ReadSetExecutionRequest(utf8Json.Span);
        return await management.SetValidatedExecutionAsync(caller, request.Condition, request.Entries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a target from its JSON body (<c>{"name", "endpoint", "timeout", "restWebhook"|"restCall"|"restAsync"}</c>).</summary>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.CreateTargetAsync"/>; a body that is not valid JSON of that shape is <see cref="ActionExecErrorCode.InvalidArgument"/> with every violation.</exception>
    public static async ValueTask<CreatedTarget> CreateTargetFromJsonAsync(this ActionManagementService management, ManagementCaller caller, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(management);
        await management.AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var spec = ActionExecJson.ReadCreateTargetRequest(utf8Json.Span, management.MaxTargetTimeout, management.Schemes);
        return await management.CreateTargetAsync(caller, spec, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes a target from its JSON body (the fields of the create body, all optional).</summary>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.UpdateTargetAsync"/>; a malformed body is <see cref="ActionExecErrorCode.InvalidArgument"/>.</exception>
    public static async ValueTask<Target> UpdateTargetFromJsonAsync(this ActionManagementService management, ManagementCaller caller, string targetId, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(management);
        await management.AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var update = ActionExecJson.ReadUpdateTargetRequest(utf8Json.Span);
        return await management.UpdateTargetAsync(caller, targetId, update, cancellationToken).ConfigureAwait(false);
    }
}
