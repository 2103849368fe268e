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

        if (string.IsNullOrWhiteSpace(options.PermissionClaimType))
        {
            failures.Add($"{ApiConfigurationSection.Name(section, nameof(ActionExecutionsApiOptions.PermissionClaimType))} is empty; give the claim type that carries permissions (the default is '{ActionExecutionsApiOptions.DefaultPermissionClaimType}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
