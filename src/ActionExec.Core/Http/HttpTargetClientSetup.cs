using ActionExec.Signatures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace ActionExec.Http;

/// <summary>
/// Configures the named client of <see cref="HttpTargetOptions.ClientName"/>, whatever name the options end up with: the
/// primary handler with the endpoint policy, no client-wide timeout (each target has its own, up to 270 s, longer than
/// <see cref="HttpClient"/>'s default of 100 s), and signature headers redacted from the factory's logs.
/// </summary>
/// <remarks>
/// The name is an option, known only once every configuration has run, so the client is configured by name here rather
/// than with <c>AddHttpClient(name).ConfigurePrimaryHttpMessageHandler</c> at registration. It is registered as client-specific
/// configuration: the host's <c>ConfigureHttpClientDefaults</c> runs before it, and the host's own configuration of the same
/// name runs in registration order with it, so a host that configures the client after <c>AddActionExecutions</c> can add
/// handlers, or deliberately replace the primary handler (and the policy with it).
/// </remarks>
internal sealed class HttpTargetClientSetup(IOptions<HttpTargetOptions> targetOptions) : IConfigureNamedOptions<HttpClientFactoryOptions>
{
    public void Configure(string? name, HttpClientFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(name, targetOptions.Value.ClientName, StringComparison.Ordinal))
        {
            return;
        }

        options.HttpClientActions.Add(static client => client.Timeout = Timeout.InfiniteTimeSpan);
        options.HttpMessageHandlerBuilderActions.Add(static builder =>
            builder.PrimaryHandler = HttpTargetHandler.Create(builder.Services.GetRequiredService<EndpointPolicy>()));

        var redact = options.ShouldRedactHeaderValue;
        options.ShouldRedactHeaderValue = header => IsSignatureHeader(header) || redact(header);
    }

    public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);

    private static bool IsSignatureHeader(string header) =>
        string.Equals(header, WebhookSigner.ZitadelSignatureHeader, StringComparison.OrdinalIgnoreCase)
        || string.Equals(header, WebhookSigner.WebhookSignatureHeader, StringComparison.OrdinalIgnoreCase);
}
