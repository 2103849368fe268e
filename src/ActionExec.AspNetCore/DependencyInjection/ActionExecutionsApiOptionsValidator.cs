using Microsoft.Extensions.Options;

namespace ActionExec.AspNetCore;

/// <summary>Validates <see cref="ActionExecutionsApiOptions"/>, listing every problem at once.</summary>
internal sealed class ActionExecutionsApiOptionsValidator(ApiConfigurationSection? section = null) : IValidateOptions<ActionExecutionsApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ActionExecutionsApiOptions options)
    {
        var failures = new List<string>();
        if (options.MaxRequestBodyBytes < 1 || options.MaxRequestBodyBytes > Array.MaxLength)
        {
            failures.Add($"{ApiConfigurationSection.Name(section, nameof(ActionExecutionsApiOptions.MaxRequestBodyBytes))} is {options.MaxRequestBodyBytes}; give a value from 1 to {Array.MaxLength} (the default is {ActionExecutionsApiOptions.DefaultMaxRequestBodyBytes}).");
        }

        if (section is { HasPermissionClaimType: true })
        {
            failures.Add($"The configuration key {section.Path}:PermissionClaimType is no longer read: the claim type that carries permissions is ActionExecutionOptions.PermissionClaimType now, for in-process callers too; move the value to the ActionExec section (ActionExec:PermissionClaimType).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
