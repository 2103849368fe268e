using ActionExec.Targets;
using ActionExec.Tests.Errors;

namespace ActionExec.Tests.Targets;

public sealed class TargetRulesTests
{
    private static readonly TimeSpan Max = TargetRules.DefaultMaxTimeout;

    private static readonly TargetSpec Valid = new()
    {
        Name = "audit",
        Endpoint = "https://example.com/hook",
        Type = TargetType.Webhook,
        Timeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public void DefaultMaxTimeout_Is270Seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(270), TargetRules.DefaultMaxTimeout);
    }

    [Theory]
    [InlineData(TargetType.Webhook, true)]
    [InlineData(TargetType.Webhook, false)]
    [InlineData(TargetType.Call, true)]
    [InlineData(TargetType.Call, false)]
    [InlineData(TargetType.Async, false)]
    public void Validate_ValidSpec_DoesNotThrow(TargetType type, bool interruptOnError)
    {
        TargetRules.Validate(Valid with { Type = type, InterruptOnError = interruptOnError }, Max);
    }

    [Fact]
    public void Validate_NullSpec_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => TargetRules.Validate(null!, Max));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_MaxTimeoutNotPositive_ThrowsArgumentOutOfRangeException(int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TargetRules.Validate(Valid, TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Validate_EmptyName_Fails()
    {
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Name = "" }, Max),
            "name",
            "The name is empty; give a name of 1 to 1000 characters.");
    }

    [Fact]
    public void Validate_NullName_Fails()
    {
        InvalidArgumentAssert.Single(() => TargetRules.Validate(Valid with { Name = null! }, Max), "name", "The name is empty");
    }

    [Fact]
    public void Validate_WhitespaceName_Fails()
    {
        InvalidArgumentAssert.Single(() => TargetRules.Validate(Valid with { Name = "   " }, Max), "name", "The name is only whitespace");
    }

    [Fact]
    public void Validate_NameOf1000Characters_IsAcceptedAnd1001Rejected()
    {
        TargetRules.Validate(Valid with { Name = new string('n', 1000) }, Max);

        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Name = new string('n', 1001) }, Max),
            "name",
            "'" + new string('n', 77) + "...' has 1001 characters; at most 1000 are allowed.");
    }

    [Theory]
    [InlineData("/hook")]
    [InlineData("hook")]
    [InlineData("example.com/hook")]
    [InlineData("//example.com/hook")]
    public void Validate_RelativeEndpoint_Fails(string endpoint)
    {
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Endpoint = endpoint }, Max),
            "endpoint",
            $"The endpoint '{endpoint}' is not an absolute URI; give one such as \"https://example.com/hook\".");
    }

    [Fact]
    public void Validate_EmptyEndpoint_Fails()
    {
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Endpoint = "" }, Max),
            "endpoint",
            "The endpoint is empty; give an absolute URI");
    }

    [Theory]
    [InlineData("ftp://example.com/hook", "ftp")]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("mailto:ops@example.com", "mailto")]
    public void Validate_NonHttpScheme_FailsListingTheHandledSchemes(string endpoint, string scheme)
    {
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Endpoint = endpoint }, Max),
            "endpoint",
            $"The endpoint '{endpoint}' uses the scheme '{scheme}', which no target invoker handles; use one of: http, https.");
    }

    [Fact]
    public void Validate_FtpWhenTheSchemeSetContainsIt_IsAccepted()
    {
        var schemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "ftp" };

        TargetRules.Validate(Valid with { Endpoint = "ftp://example.com/hook" }, Max, schemes);
    }

    [Fact]
    public void Validate_HttpWhenTheSchemeSetLacksIt_FailsListingTheSet()
    {
        var schemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "inproc" };

        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid, Max, schemes),
            "endpoint",
            "uses the scheme 'https', which no target invoker handles; use one of: inproc.");
    }

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("HTTPS://EXAMPLE.COM/hook")]
    [InlineData("https://127.0.0.1:8443/hook?x=1#f")]
    [InlineData("https://[::1]/hook")]
    public void Validate_HttpEndpoints_AreAccepted(string endpoint)
    {
        TargetRules.Validate(Valid with { Endpoint = endpoint }, Max);
    }

    [Fact]
    public void Validate_EndpointOf2048Characters_IsAcceptedAnd2049Rejected()
    {
        const string Prefix = "https://example.com/";
        var max = Prefix + new string('p', 2048 - Prefix.Length);
        var over = Prefix + new string('p', 2049 - Prefix.Length);

        TargetRules.Validate(Valid with { Endpoint = max }, Max);
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Endpoint = over }, Max),
            "endpoint",
            "has 2049 characters; at most 2048 are allowed.");
    }

    [Theory]
    [InlineData("https://")]
    [InlineData("http://")]
    [InlineData("http:///hook")]
    [InlineData("https://:8443/hook")]
    [InlineData("https://?x=1")]
    [InlineData("https://user@/hook")]
    public void Validate_EndpointWithoutHost_FailsSayingTheHostIsMissing(string endpoint)
    {
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Endpoint = endpoint }, Max),
            "endpoint",
            $"The endpoint '{endpoint}' has no host; give one such as \"https://example.com/hook\".");
    }

    [Fact]
    public void Validate_ZeroTimeout_Fails()
    {
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Timeout = TimeSpan.Zero }, Max),
            "timeout",
            "The timeout 0s is not greater than zero; give a positive duration such as \"10s\".");
    }

    [Fact]
    public void Validate_NegativeTimeout_Fails()
    {
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Timeout = TimeSpan.FromSeconds(-5) }, Max),
            "timeout",
            "The timeout -5s is not greater than zero");
    }

    [Fact]
    public void Validate_TimeoutOfOneTick_IsAccepted()
    {
        TargetRules.Validate(Valid with { Timeout = TimeSpan.FromTicks(1) }, Max);
    }

    [Fact]
    public void Validate_TimeoutExactlyTheMaximum_IsAccepted()
    {
        TargetRules.Validate(Valid with { Timeout = TimeSpan.FromSeconds(270) }, Max);
    }

    [Fact]
    public void Validate_TimeoutOverTheMaximum_FailsNamingTheMaximum()
    {
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Timeout = TimeSpan.FromSeconds(271) }, Max),
            "timeout",
            "The timeout 271s exceeds the maximum of 270s; give at most \"270s\".");
    }

    [Fact]
    public void Validate_TimeoutOneTickOverTheMaximum_FailsShowingTheDifference()
    {
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Timeout = TimeSpan.FromSeconds(270) + TimeSpan.FromTicks(1) }, Max),
            "timeout",
            "The timeout 270.0000001s exceeds the maximum of 270s");
    }

    [Fact]
    public void Validate_ConfiguredSmallerMaximum_IsTheLimit()
    {
        var max = TimeSpan.FromMilliseconds(1500);

        TargetRules.Validate(Valid with { Timeout = max }, max);
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Timeout = TimeSpan.FromSeconds(10) }, max),
            "timeout",
            "The timeout 10s exceeds the maximum of 1.5s; give at most \"1.5s\".");
    }

    [Fact]
    public void Validate_InterruptOnErrorOnAsync_Fails()
    {
        InvalidArgumentAssert.Single(
            () => TargetRules.Validate(Valid with { Type = TargetType.Async, InterruptOnError = true }, Max),
            "restAsync.interruptOnError",
            "An async target cannot interrupt the flow",
            "remove interruptOnError or use restWebhook or restCall.");
    }

    [Fact]
    public void Validate_UndefinedEnumValues_FailEachOnItsField()
    {
        var spec = Valid with { Type = (TargetType)9, PayloadType = (PayloadType)9, SignatureScheme = (SignatureScheme)9 };

        var exception = InvalidArgumentAssert.Throws(() => TargetRules.Validate(spec, Max));

        Assert.Collection(
            exception.Violations,
            v => InvalidArgumentAssert.Is(v, "targetType", "The target type 9 is unknown; use restWebhook, restCall or restAsync."),
            v => InvalidArgumentAssert.Is(v, "payloadType", "The payload type 9 is unknown; use json, jwt or jwe."),
            v => InvalidArgumentAssert.Is(v, "signatureScheme", "The signature scheme 9 is unknown; use zitadel or standard-webhooks."));
    }

    [Fact]
    public void Validate_SeveralViolations_ListsEveryOneInFieldOrder()
    {
        var spec = new TargetSpec
        {
            Name = "",
            Endpoint = "ftp://example.com/x",
            Type = TargetType.Async,
            Timeout = TimeSpan.FromMinutes(10),
            InterruptOnError = true,
        };

        var exception = InvalidArgumentAssert.Throws(() => TargetRules.Validate(spec, Max));

        Assert.Collection(
            exception.Violations,
            v => InvalidArgumentAssert.Is(v, "name", "The name is empty"),
            v => InvalidArgumentAssert.Is(v, "endpoint", "uses the scheme 'ftp'"),
            v => InvalidArgumentAssert.Is(v, "timeout", "The timeout 600s exceeds the maximum of 270s"),
            v => InvalidArgumentAssert.Is(v, "restAsync.interruptOnError", "An async target cannot interrupt the flow"));
        Assert.StartsWith("The input has 4 problems. name: The name is empty;", exception.Message, StringComparison.Ordinal);
        Assert.Contains(" endpoint: The endpoint 'ftp://example.com/x' uses the scheme 'ftp'", exception.Message, StringComparison.Ordinal);
        Assert.Contains(" timeout: The timeout 600s exceeds", exception.Message, StringComparison.Ordinal);
        Assert.Contains(" restAsync.interruptOnError: An async target", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://alice:s3cret@example.com/hook")]
    [InlineData("https://alice@example.com/hook")]
    [InlineData("https://:s3cret@example.com:8443/hook?q=1")]
    [InlineData("https://@example.com/hook")]
    public void Validate_EndpointWithCredentials_FailsOnTheEndpointSayingToRemoveThemWithoutEchoingThem(string endpoint)
    {
        var violation = InvalidArgumentAssert.Single(() => TargetRules.Validate(Valid with { Endpoint = endpoint }, Max), "endpoint", "credentials", "remove them");

        Assert.DoesNotContain("s3cret", violation.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", violation.Description, StringComparison.Ordinal);
    }
}
