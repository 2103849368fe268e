using ActionExec.Http;

namespace ActionExec.Tests.Http;

public sealed class HttpTargetOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new HttpTargetOptionsValidator().Validate(null, new HttpTargetOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_WellFormedPolicy_Succeeds()
    {
        var options = new HttpTargetOptions();
        options.DeniedHosts.Add("metadata.internal");
        options.DeniedHosts.Add("*.corp.example.com");
        options.DeniedHosts.Add("localhost.");
        options.DeniedHosts.Add("[::1]");
        options.DeniedNetworks.Add("127.0.0.0/8");
        options.DeniedNetworks.Add("169.254.169.254/32");
        options.DeniedNetworks.Add("fd00::/8");
        options.DeniedNetworks.Add("::1/128");

        var result = new HttpTargetOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_EveryProblem_IsListedNamingTheValue()
    {
        var options = new HttpTargetOptions { ClientName = " " };
        options.DeniedHosts.Add("");
        options.DeniedHosts.Add("bad host");
        options.DeniedHosts.Add("ok.example.com");
        options.DeniedNetworks.Add("10.0.0.0/8");
        options.DeniedNetworks.Add("10.0.0.0/33");
        options.DeniedNetworks.Add("127.0.0.1");
        options.DeniedNetworks.Add("intranet");

        var result = new HttpTargetOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "HttpTargetOptions.ClientName is empty; give the name of the HttpClient to take from IHttpClientFactory, such as \"ActionExec\" (the default).",
                "HttpTargetOptions.DeniedHosts contains '', which is not a host name; give a name such as \"metadata.internal\", or \"*.internal.example.com\" to deny every subdomain.",
                "HttpTargetOptions.DeniedHosts contains 'bad host', which is not a host name; give a name such as \"metadata.internal\", or \"*.internal.example.com\" to deny every subdomain.",
                "HttpTargetOptions.DeniedNetworks[1] is '10.0.0.0/33', which is not a network in CIDR notation; give an address and a prefix length such as \"10.0.0.0/8\", \"169.254.169.254/32\" or \"fd00::/8\".",
                "HttpTargetOptions.DeniedNetworks[2] is '127.0.0.1', which is not a network in CIDR notation; give an address and a prefix length such as \"10.0.0.0/8\", \"169.254.169.254/32\" or \"fd00::/8\".",
                "HttpTargetOptions.DeniedNetworks[3] is 'intranet', which is not a network in CIDR notation; give an address and a prefix length such as \"10.0.0.0/8\", \"169.254.169.254/32\" or \"fd00::/8\".",
            ],
            result.Failures!);
    }
}
