using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The calls of ZITADEL's GA API (<c>/v2/actions</c>) that read a JSON body or differ from the v2beta ones in what they do.</summary>
internal sealed partial class ManagementJsonCalls
{
    /// <summary>Creates a target from a GA create body (payload types JSON, JWT and JWE).</summary>
    /// <exception cref="ActionExecException">As <see cref="CreateTargetFromJsonAsync"/>.</exception>
    public ValueTask<CreatedTarget> CreateTargetV2FromJsonAsync(ManagementCaller caller, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default) =>
        CreateTargetV2Async(caller, () => V2Json.ReadCreateTargetRequest(utf8Json.Span), cancellationToken);

    /// <summary>
    /// Changes a target from a GA update body; with <c>expirationSigningKey: "0s"</c> the signing key is then replaced and
    /// returned. A body that fails to read changes nothing.
    /// </summary>
    /// <returns>When the target was last changed, and its new signing key when one was made.</returns>
    /// <exception cref="ActionExecException">As <see cref="UpdateTargetFromJsonAsync"/>; a non-zero <c>expirationSigningKey</c> is <see cref="ActionExecErrorCode.InvalidArgument"/>.</exception>
    public ValueTask<(DateTimeOffset ChangeDate, string? SigningKey)> UpdateTargetV2FromJsonAsync(
        ManagementCaller caller,
        string targetId,
        ReadOnlyMemory<byte> utf8Json,
        CancellationToken cancellationToken = default) =>
        UpdateTargetV2Async(caller, targetId, () => V2Json.ReadUpdateTargetRequest(utf8Json.Span), cancellationToken);

    /// <summary>The GA update once read (the gRPC service maps its message onto it): the change, then the new key when asked for.</summary>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.UpdateTargetAsync"/> and <see cref="IActionManagement.RotateSigningKeyAsync"/>.</exception>
    public async ValueTask<(DateTimeOffset ChangeDate, string? SigningKey)> UpdateTargetV2Async(
        ManagementCaller caller,
        string targetId,
        TargetUpdate update,
        bool rotateSigningKey,
        CancellationToken cancellationToken = default)
    {
        var target = await _management.UpdateTargetAsync(caller, targetId, update, cancellationToken).ConfigureAwait(false);
        if (!rotateSigningKey)
        {
            return (target.ChangeDate, null);
        }

        var rotated = await _management.RotateSigningKeyAsync(caller, targetId, cancellationToken).ConfigureAwait(false);
        return (rotated.Target.ChangeDate, rotated.SigningKey);
    }

    /// <summary>
    /// Deletes a target as the GA API does: a target that does not exist (any more) is success, the state asked for being
    /// reached already.
    /// </summary>
    /// <returns>When the target was deleted; <see langword="null"/> when there was nothing to delete.</returns>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.DeleteTargetAsync"/>, except <see cref="ActionExecErrorCode.NotFound"/>.</exception>
    public async ValueTask<DateTimeOffset?> DeleteTargetIfExistsAsync(ManagementCaller caller, string targetId, CancellationToken cancellationToken = default)
    {
        try
        {
            var details = await _management.DeleteTargetAsync(caller, targetId, cancellationToken).ConfigureAwait(false);
            return details.ChangeDate;
        }
        catch (ActionExecException error) when (error.Code == ActionExecErrorCode.NotFound)
        {
            return null;
        }
    }

    /// <summary><c>SetExecution</c> from a GA body (target ids only); violations name <c>targets[i]</c>, as the GA shape has them.</summary>
    /// <exception cref="ActionExecException">As <see cref="SetExecutionFromJsonAsync"/>.</exception>
    public ValueTask<SetExecutionResult> SetExecutionV2FromJsonAsync(ManagementCaller caller, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default) =>
        SetExecutionV2Async(caller, () => V2Json.ReadSetExecutionRequest(utf8Json.Span), cancellationToken);

    /// <summary>Searches targets from a GA search body; the permission is checked before the body is read.</summary>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.SearchTargetsAsync"/>.</exception>
    public ValueTask<TargetPage> SearchTargetsFromJsonAsync(ManagementCaller caller, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default) =>
        SearchTargetsAsync(caller, () => V2Json.ReadListTargetsRequest(utf8Json.Span), cancellationToken);

    /// <summary>Searches executions from a GA search body; the permission is checked before the body is read.</summary>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.SearchExecutionsAsync"/>.</exception>
    public ValueTask<ExecutionPage> SearchExecutionsFromJsonAsync(ManagementCaller caller, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default) =>
        SearchExecutionsAsync(caller, () => V2Json.ReadListExecutionsRequest(utf8Json.Span), cancellationToken);
}
