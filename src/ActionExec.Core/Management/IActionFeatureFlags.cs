namespace ActionExec.Management;

/// <summary>Decides whether the <c>actions</c> feature is enabled for a tenant. The default reads <see cref="ActionExecutionOptions.ActionsEnabled"/>.</summary>
public interface IActionFeatureFlags
{
    /// <summary>Whether the <c>actions</c> feature is enabled for <paramref name="tenantId"/>.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when the feature is enabled.</returns>
    ValueTask<bool> IsActionsEnabledAsync(string tenantId, CancellationToken cancellationToken);
}
