using System.Globalization;
using ActionExec.Signatures;
using ActionExec.Targets;
using Microsoft.Extensions.Options;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>Validates <see cref="ActionReceiverOptions"/>, listing every problem at once and naming the receiver.</summary>
internal sealed class ActionReceiverOptionsValidator : IValidateOptions<ActionReceiverOptions>
{
    public ValidateOptionsResult Validate(string? name, ActionReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var receiver = string.IsNullOrEmpty(name) ? "The default action receiver" : $"The action receiver '{name}'";
        var failures = new List<string>();
        if (options.SigningKeys.Count == 0)
        {
            failures.Add($"{receiver} has no signing key; add the target's signing key to {nameof(ActionReceiverOptions.SigningKeys)} (during a rotation, the old and the new one).");
        }

        for (var i = 0; i < options.SigningKeys.Count; i++)
        {
            var key = options.SigningKeys[i];
            try
            {
                // Standard Webhooks is the stricter of the two: a whsec_ key must carry a base64 secret.
                WebhookHmac.ValidateKey(SignatureScheme.StandardWebhooks, key, nameof(options.SigningKeys));
            }
            catch (ArgumentException e)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{receiver}: {nameof(ActionReceiverOptions.SigningKeys)}[{i}] is not usable. {e.Message.Split(" (Parameter", 2)[0]}"));
            }
        }

        if (options.Schemes is not (AcceptedSignatureSchemes.Zitadel or AcceptedSignatureSchemes.StandardWebhooks or AcceptedSignatureSchemes.Any))
        {
            failures.Add($"{receiver}: {nameof(ActionReceiverOptions.Schemes)} is {options.Schemes}; use Zitadel, StandardWebhooks or Any.");
        }

        if (options.Tolerance < TimeSpan.Zero)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{receiver}: {nameof(ActionReceiverOptions.Tolerance)} is {options.Tolerance}, which is negative; use zero or more, such as {WebhookVerificationOptions.DefaultTolerance} (the default)."));
        }

        if (options.MaxBodyBytes < 1 || options.MaxBodyBytes > Array.MaxLength)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{receiver}: {nameof(ActionReceiverOptions.MaxBodyBytes)} is {options.MaxBodyBytes}; give a value from 1 to {Array.MaxLength} (the default is {ActionReceiverOptions.DefaultMaxBodyBytes})."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
