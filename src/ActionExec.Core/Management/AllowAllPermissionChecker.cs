namespace ActionExec.Management;

/// <summary>The default permission checker: every caller holds every permission.</summary>
internal sealed class AllowAllPermissionChecker : IActionPermissionChecker
{
    public static AllowAllPermissionChecker Instance { get; } = new();

    public ValueTask<bool> HasPermissionAsync(ManagementCaller caller, string permission, CancellationToken cancellationToken) =>
        ValueTask.FromResult(true);
}
