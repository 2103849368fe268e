using System.Net;
using ActionExec.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActionExec.Http;

/// <summary>Validates <see cref="HttpTargetOptions"/>, listing every problem at once.</summary>
internal sealed class HttpTargetOptionsValidator(IEnumerable<ConfiguredSection>? sections = null) : IValidateOptions<HttpTargetOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClientName))
        {
            failures.Add($"{Name(nameof(HttpTargetOptions.ClientName))} is empty; give the name of the HttpClient to take from IHttpClientFactory, such as \"{HttpTargetOptions.DefaultClientName}\" (the default).");
        }

        foreach (var host in options.DeniedHosts)
        {
            if (!EndpointPolicy.IsValidHostEntry(host))
            {
                failures.Add($"{Name(nameof(HttpTargetOptions.DeniedHosts))} contains '{host}', which is not a host name; give a name such as \"metadata.internal\", or \"*.internal.example.com\" to deny every subdomain.");
            }
        }

        CheckNetworks(options.DeniedNetworks, nameof(HttpTargetOptions.DeniedNetworks), failures);
        CheckNetworks(options.AllowedNetworks, nameof(HttpTargetOptions.AllowedNetworks), failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void CheckNetworks(IList<string> networks, string property, List<string> failures)
    {
        for (var i = 0; i < networks.Count; i++)
        {
            var network = networks[i];
            if (network is null || !IPNetwork.TryParse(network, out _))
            {
                failures.Add($"{Name(property, i)} is '{network}', which is not a network in CIDR notation; give an address and a prefix length such as \"10.0.0.0/8\", \"169.254.169.254/32\" or \"fd00::/8\".");
            }
        }
    }

    private string Name(string property, int? index = null) => ConfiguredSection.Name<HttpTargetOptions>(sections, property, index);
}
