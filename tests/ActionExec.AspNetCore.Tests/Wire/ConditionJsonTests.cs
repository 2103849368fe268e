using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.AspNetCore.Wire;
using static ActionExec.Tests.Support.JsonAssert;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class ConditionJsonTests
{
    public static TheoryData<string, string> CanonicalRows => new()
    {
        { """{"request":{"method":"/pkg.v1.Service/Method"}}""", "request/pkg.v1.Service/Method" },
        { """{"request":{"service":"pkg.v1.Service"}}""", "request/pkg.v1.Service" },
        { """{"request":{"all":true}}""", "request" },
        { """{"response":{"method":"/pkg.v1.Service/Method"}}""", "response/pkg.v1.Service/Method" },
        { """{"response":{"service":"pkg.v1.Service"}}""", "response/pkg.v1.Service" },
        { """{"response":{"all":true}}""", "response" },
        { """{"function":{"name":"preuserinfo"}}""", "function/preuserinfo" },
        { """{"event":{"event":"user.human.added"}}""", "event/user.human.added" },
        { """{"event":{"group":"user.human"}}""", "event/user.human.*" },
        { """{"event":{"all":true}}""", "event" },
    };

    [Theory]
    [MemberData(nameof(CanonicalRows))]
    public void ReadCondition_CanonicalRow_RoundTripsWithItsId(string json, string id)
    {
        var condition = ActionExecJson.ReadCondition(Utf8(json));

        Assert.Equal(id, condition.Id);
        Assert.Equal(Condition.Parse(id), condition);
        Assert.Equal(json, Text(ActionExecJson.WriteCondition(condition)));
    }

    [Theory]
    [InlineData("""{"request":{"method":"pkg.v1.Service/Method"}}""", """{"request":{"method":"/pkg.v1.Service/Method"}}""")]
    [InlineData("""{"response":{"method":"pkg.v1.Service/Method"}}""", """{"response":{"method":"/pkg.v1.Service/Method"}}""")]
    [InlineData("""{"event":{"group":"user.human.*"}}""", """{"event":{"group":"user.human"}}""")]
    [InlineData("""{"request":{"method":"/pkg.v1.Service/Method","all":false}}""", """{"request":{"method":"/pkg.v1.Service/Method"}}""")]
    [InlineData("""{ "event" : { "all" : true, "group" : null } }""", """{"event":{"all":true}}""")]
    public void WriteCondition_NonCanonicalInput_WritesTheCanonicalForm(string json, string canonical)
    {
        var condition = ActionExecJson.ReadCondition(Utf8(json));

        Assert.Equal(canonical, Text(ActionExecJson.WriteCondition(condition)));
    }

    [Fact]
    public void ReadCondition_NoKind_FailsOnTheRoot()
    {
        Invalid(
            () => ActionExecJson.ReadCondition(Utf8("{}")),
            ("", """The condition names no kind; give exactly one of request, response, function or event, such as {"request": {"method": "/pkg.v1.Service/Method"}}."""));
    }

    [Fact]
    public void ReadCondition_TwoKinds_FailsListingThem()
    {
        Invalid(
            () => ActionExecJson.ReadCondition(Utf8("""{"request":{"all":true},"event":{"all":true}}""")),
            ("", """The condition names 2 kinds (request, event); give exactly one of request, response, function or event, such as {"request": {"method": "/pkg.v1.Service/Method"}}."""));
    }

    [Fact]
    public void ReadCondition_TwoKindsOneInvalid_ReportsBoth()
    {
        Invalid(
            () => ActionExecJson.ReadCondition(Utf8("""{"function":{},"event":{"group":"user..human"}}""")),
            ("", """The condition names 2 kinds (function, event); give exactly one of request, response, function or event, such as {"request": {"method": "/pkg.v1.Service/Method"}}."""),
            ("function", "The function condition names no scope; give 'name'."),
            ("event.group", "The group 'user..human' has an empty dot-segment; write non-empty segments separated by single dots, such as 'user.human.added'."));
    }

    [Theory]
    [InlineData("""{"request":{}}""")]
    [InlineData("""{"request":{"all":false}}""")]
    [InlineData("""{"request":{"method":null,"service":null}}""")]
    public void ReadCondition_NoScope_Fails(string json)
    {
        Invalid(
            () => ActionExecJson.ReadCondition(Utf8(json)),
            ("request", """The request condition names no scope; give exactly one of method, service or all ("all": true)."""));
    }

    [Fact]
    public void ReadCondition_ThreeScopes_FailsListingThem()
    {
        Invalid(
            () => ActionExecJson.ReadCondition(Utf8("""{"event":{"event":"user.human.added","group":"user","all":true}}""")),
            ("event", """The event condition names 3 scopes (event, group, all); give exactly one of event, group or all ("all": true)."""));
    }

    [Fact]
    public void ReadCondition_InvalidMethod_ReportsTheModelRuleOnTheValue()
    {
        var expected = Assert.Throws<ActionExecException>(() => Condition.RequestMethod("/pkg.v1.Service/")).Violations.Single();

        Invalid(
            () => ActionExecJson.ReadCondition(Utf8("""{"request":{"method":"/pkg.v1.Service/"}}""")),
            ("request.method", expected.Description));
        Assert.Equal("condition.request.method", expected.Field);
    }

    [Fact]
    public void ReadCondition_EmptyFunctionName_ReportsTheName()
    {
        Invalid(
            () => ActionExecJson.ReadCondition(Utf8("""{"function":{"name":""}}""")),
            ("function.name", "The function name must not be empty; give a function name such as 'preuserinfo'."));
    }
}
