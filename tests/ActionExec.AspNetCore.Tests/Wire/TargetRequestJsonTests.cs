using ActionExec.AspNetCore.Wire;
using ActionExec.Targets;
using static ActionExec.Tests.Support.JsonAssert;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class TargetRequestJsonTests
{
    private const string Common = "\"name\":\"hook\",\"endpoint\":\"https://example.com/hook\",\"timeout\":\"10s\",";

    private const string TypeHelp = """give exactly one of restWebhook, restCall or restAsync, such as {"restWebhook": {"interruptOnError": true}}.""";

    [Theory]
    [InlineData("""{"restWebhook":{"interruptOnError":true}}""", TargetType.Webhook, true)]
    [InlineData("""{"restWebhook":{}}""", TargetType.Webhook, false)]
    [InlineData("""{"restCall":{"interruptOnError":true}}""", TargetType.Call, true)]
    [InlineData("""{"restCall":{"interruptOnError":false}}""", TargetType.Call, false)]
    [InlineData("""{"restAsync":{}}""", TargetType.Async, false)]
    public void ReadCreateTargetRequest_EachType_MapsToTheSpec(string type, TargetType expectedType, bool interruptOnError)
    {
        var body = "{" + Common + type[1..];

        var spec = ActionExecJson.ReadCreateTargetRequest(Utf8(body), TargetRules.DefaultMaxTimeout);

        Assert.Equal(
            new TargetSpec
            {
                Name = "hook",
                Endpoint = "https://example.com/hook",
                Timeout = TimeSpan.FromSeconds(10),
                Type = expectedType,
                InterruptOnError = interruptOnError,
                PayloadType = PayloadType.Json,
                SignatureScheme = SignatureScheme.Zitadel,
            },
            spec);
    }

    [Theory]
    [InlineData("\"PAYLOAD_TYPE_JSON\"", "\"zitadel\"", SignatureScheme.Zitadel)]
    [InlineData("\"json\"", "\"standard-webhooks\"", SignatureScheme.StandardWebhooks)]
    [InlineData("null", "null", SignatureScheme.Zitadel)]
    public void ReadCreateTargetRequest_PayloadTypeAndScheme_AreRead(string payloadType, string scheme, SignatureScheme expected)
    {
        var body = "{" + Common + $"\"restCall\":{{}},\"payloadType\":{payloadType},\"signatureScheme\":{scheme}}}";

        var spec = ActionExecJson.ReadCreateTargetRequest(Utf8(body));

        Assert.Equal(PayloadType.Json, spec.PayloadType);
        Assert.Equal(expected, spec.SignatureScheme);
    }

    [Fact]
    public void ReadCreateTargetRequest_NoType_FailsOnTargetType()
    {
        Invalid(
            () => ActionExecJson.ReadCreateTargetRequest(Utf8("{" + Common[..^1] + "}")),
            ("targetType", "The target names no type; " + TypeHelp));
    }

    [Fact]
    public void ReadCreateTargetRequest_TwoTypes_FailsListingThem()
    {
        Invalid(
            () => ActionExecJson.ReadCreateTargetRequest(Utf8("{" + Common + "\"restWebhook\":{},\"restAsync\":{}}")),
            ("targetType", "The target names 2 types (restWebhook, restAsync); " + TypeHelp));
    }

    [Fact]
    public void ReadCreateTargetRequest_ShapeOnly_LeavesLimitsToTargetRules()
    {
        var spec = ActionExecJson.ReadCreateTargetRequest(Utf8("""{"restAsync":{"interruptOnError":true}}"""));

        Assert.Equal(new TargetSpec { Name = "", Endpoint = "", Timeout = TimeSpan.Zero, Type = TargetType.Async, InterruptOnError = true }, spec);
    }

    [Fact]
    public void ReadCreateTargetRequest_WithRules_ReportsShapeAndRuleViolationsTogether()
    {
        const string body = """{"name":"","endpoint":"ftp://example.com","timeout":"300s","restAsync":{"interruptOnError":true},"payloadType":"xml","signatureScheme":"hmac"}""";

        Invalid(
            () => ActionExecJson.ReadCreateTargetRequest(Utf8(body), TargetRules.DefaultMaxTimeout),
            ("payloadType", "The payload type 'xml' is unknown; use \"PAYLOAD_TYPE_JSON\"."),
            ("signatureScheme", "The signature scheme 'hmac' is unknown; use \"zitadel\" or \"standard-webhooks\"."),
            ("name", "The name is empty; give a name of 1 to 1000 characters."),
            ("endpoint", "The endpoint 'ftp://example.com' uses the scheme 'ftp', which no target invoker handles; use one of: http, https."),
            ("timeout", "The timeout 300s exceeds the maximum of 270s; give at most \"270s\"."),
            ("restAsync.interruptOnError", "An async target cannot interrupt the flow, because nobody waits for it; remove interruptOnError or use restWebhook or restCall."));
    }

    [Fact]
    public void ReadCreateTargetRequest_WithRulesAndNoType_ReportsTypeOnce()
    {
        Invalid(
            () => ActionExecJson.ReadCreateTargetRequest(Utf8("""{"name":"hook","endpoint":"https://example.com","timeout":"-1s"}"""), TargetRules.DefaultMaxTimeout),
            ("targetType", "The target names no type; " + TypeHelp),
            ("timeout", "The timeout -1s is not greater than zero; give a positive duration such as \"10s\"."));
    }

    [Fact]
    public void ReadCreateTargetRequest_SigningKey_IsAnUnknownProperty()
    {
        Invalid(
            () => ActionExecJson.ReadCreateTargetRequest(Utf8("{" + Common + "\"restWebhook\":{},\"signingKey\":\"k\"}")),
            ("signingKey", "The property 'signingKey' is not known here; use 'name', 'endpoint', 'timeout', 'restWebhook', 'restCall', 'restAsync', 'payloadType' or 'signatureScheme'."));
    }

    [Fact]
    public void ReadUpdateTargetRequest_Empty_ChangesNothing()
    {
        Assert.Equal(new TargetUpdate(), ActionExecJson.ReadUpdateTargetRequest(Utf8("{}")));
    }

    [Fact]
    public void ReadUpdateTargetRequest_SomeFields_SetsOnlyThem()
    {
        var update = ActionExecJson.ReadUpdateTargetRequest(Utf8("""{"timeout":"1.500s","restAsync":{},"signatureScheme":"standard-webhooks"}"""));

        Assert.Equal(
            new TargetUpdate
            {
                Timeout = TimeSpan.FromMilliseconds(1500),
                Type = TargetType.Async,
                InterruptOnError = false,
                SignatureScheme = SignatureScheme.StandardWebhooks,
            },
            update);
    }

    [Fact]
    public void ReadUpdateTargetRequest_TwoTypesAndBadPayloadType_ReportsBoth()
    {
        Invalid(
            () => ActionExecJson.ReadUpdateTargetRequest(Utf8("""{"restCall":{},"restWebhook":{},"payloadType":"PAYLOAD_TYPE_JWT"}""")),
            ("targetType", "The target names 2 types (restWebhook, restCall); " + TypeHelp),
            ("payloadType", "The payload type 'PAYLOAD_TYPE_JWT' is unknown; use \"PAYLOAD_TYPE_JSON\"."));
    }

    [Fact]
    public void ReadUpdateTargetRequest_WrongType_FailsOnTheProperty()
    {
        Invalid(
            () => ActionExecJson.ReadUpdateTargetRequest(Utf8("""{"restWebhook":{"interruptOnError":"yes"}}""")),
            ("restWebhook.interruptOnError", "The property 'interruptOnError' must be true or false."));
    }
}
