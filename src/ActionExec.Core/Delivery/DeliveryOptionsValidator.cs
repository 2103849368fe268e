using System.Globalization;
using ActionExec.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActionExec.Delivery;

/// <summary>Validates <see cref="DeliveryOptions"/>, listing every problem at once.</summary>
internal sealed class DeliveryOptionsValidator(IEnumerable<ConfiguredSection>? sections = null) : IValidateOptions<DeliveryOptions>
{
    public const int MaxWorkers = 256;

    public const int MaxLeaseBatchSize = 1000;

    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.RetrySchedule is null || options.RetrySchedule.Count == 0)
        {
            failures.Add($"{Name(nameof(DeliveryOptions.RetrySchedule))} is empty; give at least one delay (the first is the delay before the first attempt, usually zero).");
        }
        else
        {
            for (var i = 0; i < options.RetrySchedule.Count; i++)
            {
                if (options.RetrySchedule[i] < TimeSpan.Zero)
                {
                    failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Name(nameof(DeliveryOptions.RetrySchedule), i)} is {options.RetrySchedule[i]}; give a delay of zero or more."));
                }
            }
        }

        if (options.MaxAge <= TimeSpan.Zero)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Name(nameof(DeliveryOptions.MaxAge))} is {options.MaxAge}; give a positive duration (the default is 24 hours)."));
        }

        if (options.Capacity < 1)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Name(nameof(DeliveryOptions.Capacity))} is {options.Capacity}; give at least 1 (the default is 10000)."));
        }

        if (options.EnqueueTimeout < TimeSpan.Zero)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Name(nameof(DeliveryOptions.EnqueueTimeout))} is {options.EnqueueTimeout}; give zero or a positive duration (the default is 5 seconds)."));
        }

        if (options.DrainTimeout < TimeSpan.Zero)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Name(nameof(DeliveryOptions.DrainTimeout))} is {options.DrainTimeout}; give zero or a positive duration (the default is 30 seconds)."));
        }

        if (options.Workers is < 1 or > MaxWorkers)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Name(nameof(DeliveryOptions.Workers))} is {options.Workers}; give a value from 1 to {MaxWorkers} (the default is 2)."));
        }

        if (options.LeaseDuration <= TimeSpan.Zero)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Name(nameof(DeliveryOptions.LeaseDuration))} is {options.LeaseDuration}; give a positive duration (the default is 30 seconds)."));
        }

        if (options.LeaseBatchSize is < 0 or > MaxLeaseBatchSize)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Name(nameof(DeliveryOptions.LeaseBatchSize))} is {options.LeaseBatchSize}; give a value from 0 (as many as the workers) to {MaxLeaseBatchSize}."));
        }

        if (options.HistoryRetention <= TimeSpan.Zero)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Name(nameof(DeliveryOptions.HistoryRetention))} is {options.HistoryRetention}; give a positive duration (the default is 7 days)."));
        }

        if (options.HistoryCapacity < 1)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Name(nameof(DeliveryOptions.HistoryCapacity))} is {options.HistoryCapacity}; give at least 1 (the default is 10000)."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string Name(string property, int? index = null) => ConfiguredSection.Name<DeliveryOptions>(sections, property, index);
}
