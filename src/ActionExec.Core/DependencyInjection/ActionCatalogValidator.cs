using ActionExec.Errors;
using Microsoft.Extensions.Options;

namespace ActionExec.DependencyInjection;

/// <summary>
/// Builds the catalog when the options are validated, so that a malformed entry such as <c>AddMethods("not a method")</c> stops
/// the host when it starts rather than failing the first management call. Every entry's problem is listed.
/// </summary>
internal sealed class ActionCatalogValidator(ActionCatalogRegistrations registrations) : IValidateOptions<ActionExecutionOptions>
{
    public ValidateOptionsResult Validate(string? name, ActionExecutionOptions options)
    {
        try
        {
            registrations.Build();
            return ValidateOptionsResult.Success;
        }
        catch (ActionExecException e) when (e.Code == ActionExecErrorCode.InvalidArgument)
        {
            return ValidateOptionsResult.Fail(e.Violations.Select(static v => $"The catalog entry {v.Field} is malformed: {v.Description}"));
        }
    }
}
