using Microsoft.Extensions.Options;

namespace ActionExec.Management;

/// <summary>The default feature flags: <see cref="ActionExecutionOptions.ActionsEnabled"/> for every tenant, re-read when the options change.</summary>
internal sealed class OptionsFeatureFlags(IOptionsMonitor<ActionExecutionOptions> options) : IActionFeatureFlags
{
    public ValueTask<bool> IsActionsEnabledAsync(string tenantId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(options.CurrentValue.ActionsEnabled);
}
