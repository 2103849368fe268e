using Microsoft.Extensions.Options;

namespace ActionExec.Samples.WebApi;

/// <summary>Checks the keys when the host starts, listing every problem at once.</summary>
internal sealed class SampleOptionsValidator : IValidateOptions<SampleOptions>
{
    public ValidateOptionsResult Validate(string? name, SampleOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.AdminKey))
        {
            failures.Add($"{SampleOptions.SectionName}:AdminKey is empty; give the bearer key of the administrator, such as 'admin-dev-key'.");
        }

        if (string.IsNullOrWhiteSpace(options.ReaderKey))
        {
            failures.Add($"{SampleOptions.SectionName}:ReaderKey is empty; give the bearer key of the reader, such as 'reader-dev-key'.");
        }

        if (failures.Count == 0 && string.Equals(options.AdminKey, options.ReaderKey, StringComparison.Ordinal))
        {
            failures.Add($"{SampleOptions.SectionName}:AdminKey and ReaderKey are the same key; give each caller its own key.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
