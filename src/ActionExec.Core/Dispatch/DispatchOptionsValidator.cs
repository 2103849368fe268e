using ActionExec.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActionExec.Dispatch;

/// <summary>Validates <see cref="DispatchOptions"/>, listing every problem at once.</summary>
internal sealed class DispatchOptionsValidator(IEnumerable<ConfiguredSection>? sections = null) : IValidateOptions<DispatchOptions>
{
    public ValidateOptionsResult Validate(string? name, DispatchOptions options)
    {
        var failures = new List<string>();
        if (options.MaxResponseBytes <= 0)
        {
            failures.Add($"{Name(nameof(DispatchOptions.MaxResponseBytes))} is {options.MaxResponseBytes}; give a positive number of bytes (the default is {DispatchOptions.DefaultMaxResponseBytes}).");
        }

        if (options.PayloadTokenLifetime <= TimeSpan.Zero || options.PayloadTokenLifetime > TimeSpan.FromDays(1))
        {
            failures.Add($"{Name(nameof(DispatchOptions.PayloadTokenLifetime))} is {options.PayloadTokenLifetime}; give a duration greater than zero and at most one day (the default is {DispatchOptions.DefaultPayloadTokenLifetime}).");
        }

        foreach (var header in options.HeaderAllowList)
        {
            if (string.IsNullOrWhiteSpace(header) || header.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ':'))
            {
                failures.Add($"{Name(nameof(DispatchOptions.HeaderAllowList))} contains '{header}', which is not a header name; remove it.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string Name(string property) => ConfiguredSection.Name<DispatchOptions>(sections, property);
}
