using System.Net;
using Microsoft.Extensions.Options;

namespace ActionExec.Http;

/// <summary>Validates <see cref="HttpTargetOptions"/>, listing every problem at once.</summary>
internal sealed class HttpTargetOptionsValidator : IValidateOptions<HttpTargetOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClientName))
        {
            failures.Add($"HttpTargetOptions.ClientName is empty; give the name of the HttpClient to take from IHttpClientFactory, such as \"{HttpTargetOptions.DefaultClientName}\" (the default).");
        }

        foreach (var host in options.DeniedHosts)
        {
            if (!EndpointPolicy.IsValidHostEntry(host))
            {
                failures.Add($"HttpTargetOptions.DeniedHosts contains '{host}', which is not a host name; give a name such as \"metadata.internal\", or \"*.internal.example.com\" to deny every subdomain.");
            }
        }

        for (var i = 0; i < options.DeniedNetworks.Count; i++)
        {
            var network = options.DeniedNetworks[i];
            if (network is null || !IPNetwork.TryParse(network, out _))
            {
                failures.Add($"HttpTargetOptions.DeniedNetworks[{i}] is '{network}', which is not a network in CIDR notation; give an address and a prefix length such as \"10.0.0.0/8\", \"169.254.169.254/32\" or \"fd00::/8\".");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
