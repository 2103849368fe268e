using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.AspNetCore.Wire;
using static ActionExec.Tests.Support.JsonAssert;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class SetExecutionRequestJsonTests
{
    [Theory]
    [InlineData("""{"condition":{"function":{"name":"preuserinfo"}}}""")]
    [InlineData("""{"condition":{"function":{"name":"preuserinfo"}},"targets":null}""")]
    [InlineData("""{"condition":{"function":{"name":"preuserinfo"}},"targets":[]}""")]
    public void ReadSetExecutionRequest_NoTargets_IsTheEmptyList(string json)
    {
        var request = ActionExecJson.ReadSetExecutionRequest(Utf8(json));

        Assert.Equal(Condition.Function("preuserinfo"), request.Condition);
        Assert.Empty(request.Entries);
    }

    [Theory]
    [InlineData("""{"targets":["t1"]}""")]
    [InlineData("""{"condition":null,"targets":["t1"]}""")]
    public void ReadSetExecutionRequest_NoCondition_FailsOnCondition(string json)
    {
        Invalid(
            () => ActionExecJson.ReadSetExecutionRequest(Utf8(json)),
            ("condition", """The condition is missing; give one such as {"request": {"method": "/pkg.v1.Service/Method"}}."""));
    }

    [Fact]
    public void ReadSetExecutionRequest_ManyProblems_ReportsEveryOneWithItsPath()
    {
        const string json = """
            {
              "condition": {"request": {"method": "/pkg.v1.Service/"}},
              "targets": [
                {"include": {"request": {"service": "pkg/x"}}},
                {},
                {"target": ""},
                "t1",
                {"target": "t1"},
                null,
                {"target": "t2", "include": {"event": {"all": true}}},
                {"include": {"event": {"group": "user.human"}}},
                {"include": {"event": {"group": "user.human.*"}}}
              ]
            }
            """;

        var exception = Invalid(
            () => ActionExecJson.ReadSetExecutionRequest(Utf8(json)),
            ("condition.request.method", "The method '/pkg.v1.Service/' has an empty method segment; a full method has the form '/pkg.v1.Service/Method'."),
            ("targets[0].include.request.service", "The service 'pkg/x' contains '/'; a service is a name such as 'pkg.v1.Service' (for one method use the method scope: '/pkg.v1.Service/Method')."),
            ("targets[1]", """The entry names neither a target nor an include; give exactly one: {"target": "<target id>"} or {"include": <condition>}."""),
            ("targets[2].target", "The target id is empty; give the id returned when the target was created."),
            ("targets[5]", """The entry is null; give "<target id>", {"target": "<target id>"} or {"include": <condition>}."""),
            ("targets[6]", """The entry names both a target and an include; give exactly one: {"target": "<target id>"} or {"include": <condition>}."""),
            ("targets[4]", "The target 't1' is listed twice (first at targets[3]); list each target and each include once."),
            ("targets[8]", "The include 'event/user.human.*' is listed twice (first at targets[7]); list each target and each include once."));
        Assert.StartsWith("The input has 8 problems. condition.request.method: ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadSetExecutionRequest_InvalidTargetId_ReportsTheModelRule()
    {
        var id = new string('x', 201);

        Invalid(
            () => ActionExecJson.ReadSetExecutionRequest(Utf8($$$"""{"condition":{"event":{"all":true}},"targets":["ok","{{{id}}}"]}""")),
            ("targets[1].target", $"The target id '{new string('x', 77)}...' has 201 characters; target ids have at most 200."));
    }

    [Fact]
    public void ReadSetExecutionRequest_Valid_KeepsOrder()
    {
        var request = ActionExecJson.ReadSetExecutionRequest(Utf8("""{"condition":{"response":{"service":"pkg.v1.Service"}},"targets":[{"include":{"request":{"all":true}}},"t2","t1"]}"""));

        Assert.Equal(Condition.ResponseService("pkg.v1.Service"), request.Condition);
        Assert.Equal<ExecutionEntry>([ExecutionEntry.ForInclude(Condition.AllRequests), ExecutionEntry.ForTarget("t2"), ExecutionEntry.ForTarget("t1")], request.Entries);
    }
}
