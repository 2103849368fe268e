using ActionExec.Conditions;
using ActionExec.Engine;
using ActionExec.AspNetCore.Wire;
using ActionExec.Targets;
using static ActionExec.Tests.Support.JsonAssert;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class ExplanationJsonTests
{
    private static readonly DateTimeOffset Created = new(2024, 12, 18, 7, 50, 47, 492, TimeSpan.Zero);

    private static readonly Target Hook = new()
    {
        Id = "t1",
        Name = "hook",
        Endpoint = "https://example.com/hook",
        Type = TargetType.Call,
        Timeout = TimeSpan.FromSeconds(10),
        InterruptOnError = true,
        CreationDate = Created,
        ChangeDate = Created,
        Sequence = 1,
    };

    [Fact]
    public void WriteExplanation_Matched_WritesEveryPart()
    {
        var explanation = new ExecutionExplanation
        {
            Kind = ConditionKind.Request,
            Value = "/pkg.v1.Service/Method",
            Policy = MatchPolicy.BestMatch,
            Candidates =
            [
                new ExplainedCandidate("request/pkg.v1.Service/Method", false),
                new ExplainedCandidate("request/pkg.v1.Service", true),
                new ExplainedCandidate("request", false),
            ],
            Matched = Condition.RequestService("pkg.v1.Service"),
            Level = ConditionScope.Service,
            Reason = "Matched the service execution 'request/pkg.v1.Service', because no execution exists for 'request/pkg.v1.Service/Method'.",
            Cascade = [Condition.RequestService("pkg.v1.Service")],
            Targets = [Hook],
            UnresolvedIncludes = [Condition.EventGroup("user.human")],
        };

        var json = Text(ActionExecJson.WriteExplanation(explanation));

        Assert.Equal(
            """{"kind":"request","value":"/pkg.v1.Service/Method","policy":"bestMatch","candidates":["""
            + """{"conditionId":"request/pkg.v1.Service/Method","exists":false},{"conditionId":"request/pkg.v1.Service","exists":true},{"conditionId":"request","exists":false}],"matched":"""
            + """{"request":{"service":"pkg.v1.Service"}},"level":"service","reason":"Matched the service execution 'request/pkg.v1.Service', because no execution exists for 'request/pkg.v1.Service/Method'.","cascade":"""
            + """[{"request":{"service":"pkg.v1.Service"}}],"targets":"""
            + """[{"id":"t1","name":"hook","endpoint":"https://example.com/hook","timeout":"10s","restCall":{"interruptOnError":true},"payloadType":"PAYLOAD_TYPE_JSON","signatureScheme":"zitadel","creationDate":"2024-12-18T07:50:47.492Z","changeDate":"2024-12-18T07:50:47.492Z"}],"unresolvedIncludes":"""
            + """[{"event":{"group":"user.human"}}]}""",
            json);
        Assert.DoesNotContain("signingKey", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WriteExplanation_NothingMatched_OmitsMatchedAndLevelAndWritesEmptyLists()
    {
        var explanation = new ExecutionExplanation
        {
            Kind = ConditionKind.Function,
            Value = "preuserinfo",
            Policy = MatchPolicy.Cascade,
            Candidates = [new ExplainedCandidate("function/preuserinfo", false)],
            Reason = "No execution matches: none of 'function/preuserinfo' exists.",
        };

        var json = Text(ActionExecJson.WriteExplanation(explanation));

        Assert.Equal(
            """{"kind":"function","value":"preuserinfo","policy":"cascade","candidates":[{"conditionId":"function/preuserinfo","exists":false}],"reason":"No execution matches: none of 'function/preuserinfo' exists.","cascade":"""
            + """[],"targets":[],"unresolvedIncludes":[]}""",
            json);
    }

    [Theory]
    [InlineData(ConditionKind.Event, ConditionScope.Group, "user.human", "group")]
    [InlineData(ConditionKind.Event, ConditionScope.Event, "user.human.added", "event")]
    [InlineData(ConditionKind.Function, ConditionScope.Function, "preuserinfo", "name")]
    [InlineData(ConditionKind.Response, ConditionScope.Method, "/pkg.v1.Service/Method", "method")]
    [InlineData(ConditionKind.Request, ConditionScope.All, null, "all")]
    public void WriteExplanation_Level_IsNamedAsTheConditionField(ConditionKind kind, ConditionScope scope, string? value, string level)
    {
        var condition = Condition.Create(kind, scope, value);
        var explanation = new ExecutionExplanation
        {
            Kind = kind,
            Value = value ?? "/pkg.v1.Service/Method",
            Policy = MatchPolicy.BestMatch,
            Candidates = [new ExplainedCandidate(condition.Id, true)],
            Matched = condition,
            Level = scope,
            Reason = "Matched.",
        };

        var written = ActionExecJson.Read(ActionExecJson.WriteExplanation(explanation), ActionExecJsonContext.Default.ExplanationJson);

        Assert.Equal(level, written.Level);
    }

    [Fact]
    public void WriteExplanation_ReadBack_RoundTrips()
    {
        var explanation = new ExecutionExplanation
        {
            Kind = ConditionKind.Event,
            Value = "user.human.added",
            Policy = MatchPolicy.BestMatch,
            Candidates = [new ExplainedCandidate("event/user.human.added", true)],
            Matched = Condition.Event("user.human.added"),
            Level = ConditionScope.Event,
            Reason = "Matched the event execution 'event/user.human.added' exactly.",
            Targets = [Hook],
        };
        var bytes = ActionExecJson.WriteExplanation(explanation);

        var read = ActionExecJson.Read(bytes, ActionExecJsonContext.Default.ExplanationJson);

        Assert.Equal(Text(bytes), Text(ActionExecJson.Write(read, ActionExecJsonContext.Default.ExplanationJson)));
    }
}
