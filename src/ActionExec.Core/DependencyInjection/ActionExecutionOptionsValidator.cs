using ActionExec.Engine;
using Microsoft.Extensions.Options;

namespace ActionExec.DependencyInjection;

/// <summary>Validates <see cref="ActionExecutionOptions"/>, listing every problem at once.</summary>
internal sealed class ActionExecutionOptionsValidator(IEnumerable<ConfiguredSection>? sections = null) : IValidateOptions<ActionExecutionOptions>
{
    public const int MaxIncludeDepthLimit = 32;

    /// <summary>The shortest idle time accepted: the engine records use with a resolution of a sweep, not per call.</summary>
    public static readonly TimeSpan MinTenantIdleTimeout = TimeSpan.FromSeconds(1);

    public ValidateOptionsResult Validate(string? name, ActionExecutionOptions options)
    {
        var failures = new List<string>();
        if (options.MaxIncludeDepth is < 0 or > MaxIncludeDepthLimit)
        {
            failures.Add($"{Name(nameof(ActionExecutionOptions.MaxIncludeDepth))} is {options.MaxIncludeDepth}; give a value from 0 to {MaxIncludeDepthLimit} (the default is 2).");
        }

        if (options.MaxTargetTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Name(nameof(ActionExecutionOptions.MaxTargetTimeout))} is {options.MaxTargetTimeout}; give a positive duration (the default is 270 seconds).");
        }

        if (!Enum.IsDefined(options.MatchPolicy))
        {
            failures.Add($"{Name(nameof(ActionExecutionOptions.MatchPolicy))} is {(int)options.MatchPolicy}; use {nameof(MatchPolicy.BestMatch)} or {nameof(MatchPolicy.Cascade)}.");
        }

        if (string.IsNullOrWhiteSpace(options.PermissionClaimType))
        {
            failures.Add($"{Name(nameof(ActionExecutionOptions.PermissionClaimType))} is empty; give the claim type that carries permissions (the default is '{ActionExecutionOptions.DefaultPermissionClaimType}').");
        }

        if (options.TenantIdleTimeout < MinTenantIdleTimeout && options.TenantIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{Name(nameof(ActionExecutionOptions.TenantIdleTimeout))} is {options.TenantIdleTimeout}; give at least {MinTenantIdleTimeout} (the default is 00:30:00), or {Timeout.InfiniteTimeSpan} to never evict an idle tenant.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string Name(string property) => ConfiguredSection.Name<ActionExecutionOptions>(sections, property);
}
