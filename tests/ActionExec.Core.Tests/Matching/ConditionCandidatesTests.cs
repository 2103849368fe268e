using ActionExec.Conditions;
using ActionExec.Matching;

namespace ActionExec.Tests.Matching;

public sealed class ConditionCandidatesTests
{
    [Theory]
    [InlineData(ConditionKind.Request, "/pkg.v1.Svc/Method", "request/pkg.v1.Svc/Method|request/pkg.v1.Svc|request")]
    [InlineData(ConditionKind.Response, "pkg.v1.Svc/Method", "response/pkg.v1.Svc/Method|response/pkg.v1.Svc|response")]
    [InlineData(ConditionKind.Request, "/pkg.v1.Svc", "request")]
    [InlineData(ConditionKind.Request, "/pkg.v1.Svc/", "request/pkg.v1.Svc|request")]
    [InlineData(ConditionKind.Request, "", "request")]
    [InlineData(ConditionKind.Event, "user.human.added", "event/user.human.added|event/user.human.*|event/user.*|event")]
    [InlineData(ConditionKind.Event, "user", "event/user|event")]
    [InlineData(ConditionKind.Event, "", "event")]
    [InlineData(ConditionKind.Function, "preaccesstoken", "function/preaccesstoken")]
    [InlineData(ConditionKind.Function, "", "")]
    public void Of_Value_ListsTheCandidatesMostSpecificFirst(ConditionKind kind, string value, string expected) =>
        Assert.Equal(expected.Split('|', StringSplitOptions.RemoveEmptyEntries), ConditionCandidates.Of(kind, value));

    [Fact]
    public void Of_UnknownKind_ListsNothing() => Assert.Empty(ConditionCandidates.Of((ConditionKind)42, "x"));

    [Theory]
    [InlineData("request/pkg.v1.Svc/Method", "request/pkg.v1.Svc/Method|request/pkg.v1.Svc|request")]
    [InlineData("request/pkg.v1.Svc", "request/pkg.v1.Svc|request")]
    [InlineData("request", "request")]
    [InlineData("event/user.human.added", "event/user.human.added|event/user.human.*|event/user.*|event")]
    [InlineData("event/user.human.*", "event/user.human.*|event/user.*|event")]
    [InlineData("event/user.*", "event/user.*|event")]
    [InlineData("event", "event")]
    [InlineData("function/preaccesstoken", "function/preaccesstoken")]
    public void Through_Condition_ListsItsLevelsFromItselfToTheMostGeneral(string conditionId, string expected) =>
        Assert.Equal(expected.Split('|'), ConditionCandidates.Through(Condition.Parse(conditionId)));

    [Theory]
    [InlineData(ConditionKind.Request, "/pkg.v1.Svc/Method")]
    [InlineData(ConditionKind.Request, "/pkg.v1.Svc/Other")]
    [InlineData(ConditionKind.Request, "/pkg.v1.Other/Method")]
    [InlineData(ConditionKind.Event, "user.human.added")]
    [InlineData(ConditionKind.Event, "user.machine.added")]
    [InlineData(ConditionKind.Event, "org.added")]
    [InlineData(ConditionKind.Function, "preaccesstoken")]
    public void Of_CompiledMatcher_PicksTheFirstCandidateThatExists(ConditionKind kind, string value)
    {
        Condition[] conditions =
        [
            Condition.Parse("request"),
            Condition.Parse("request/pkg.v1.Svc"),
            Condition.Parse("request/pkg.v1.Svc/Method"),
            Condition.Parse("event/user.*"),
            Condition.Parse("event/user.human.*"),
            Condition.Parse("event"),
            Condition.Parse("function/preaccesstoken"),
        ];
        var ids = conditions.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var expected = ConditionCandidates.Of(kind, value).FirstOrDefault(ids.Contains);

        var matched = ConditionMatcher.Build(conditions).Match(kind, value);

        Assert.Equal(expected, matched < 0 ? null : conditions[matched].Id);
    }
}
