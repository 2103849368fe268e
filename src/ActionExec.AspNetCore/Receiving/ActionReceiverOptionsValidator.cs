using System.Globalization;
using ActionExec.Signatures;
using ActionExec.Targets;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

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

        ValidateTokens(receiver, options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateTokens(string receiver, ActionReceiverOptions options, List<string> failures)
    {
        if (options.PayloadType is not (PayloadType.Json or PayloadType.Jwt or PayloadType.Jwe))
        {
            failures.Add($"{receiver}: {nameof(ActionReceiverOptions.PayloadType)} is {options.PayloadType}; use Json, Jwt or Jwe.");
            return;
        }

        if (options.PayloadType == PayloadType.Json)
        {
            return;
        }

        if (options.JwksUri is null && string.IsNullOrEmpty(options.IssuerJwks))
        {
            failures.Add($"{receiver} expects {options.PayloadType} payloads but has no sender keys; set {nameof(ActionReceiverOptions.JwksUri)} to the sender's JWKS URL, or {nameof(ActionReceiverOptions.IssuerJwks)} to its key set.");
        }

        if (options.JwksUri is { } uri
            && !(uri.IsAbsoluteUri && (string.Equals(uri.Scheme, Uri.UriSchemeHttps, StringComparison.Ordinal) || (string.Equals(uri.Scheme, Uri.UriSchemeHttp, StringComparison.Ordinal) && uri.IsLoopback))))
        {
            failures.Add($"{receiver}: {nameof(ActionReceiverOptions.JwksUri)} '{uri}' is not an absolute HTTPS URL (HTTP is accepted for a loopback address only); give the sender's JWKS URL.");
        }

        if (!string.IsNullOrEmpty(options.IssuerJwks))
        {
            try
            {
                _ = new JsonWebKeySet(options.IssuerJwks);
            }
            catch (ArgumentException)
            {
                failures.Add($"{receiver}: {nameof(ActionReceiverOptions.IssuerJwks)} is not a JSON Web Key Set; give the sender's key set as JSON, {{\"keys\": [...]}}.");
            }
        }

        if (options.PayloadType == PayloadType.Jwe && options.DecryptionKeys.Count == 0)
        {
            failures.Add($"{receiver} expects Jwe payloads but has no decryption key; add the private key of the target's active public key to {nameof(ActionReceiverOptions.DecryptionKeys)}, under the key id the target gave it.");
        }

        foreach (var (keyId, pem) in options.DecryptionKeys)
        {
            try
            {
                if (ReceiverTokens.LoadPrivateKey(keyId, pem) is AsymmetricSecurityKey loaded)
                {
                    (loaded as RsaSecurityKey)?.Rsa.Dispose();
                    (loaded as ECDsaSecurityKey)?.ECDsa.Dispose();
                }
            }
            catch (ArgumentException e)
            {
                failures.Add($"{receiver}: {nameof(ActionReceiverOptions.DecryptionKeys)}: {e.Message}");
            }
        }
    }
}
