using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Tests.Errors;

namespace ActionExec.Tests.Executions;

public sealed class ExecutionRulesTests
{
    [Fact]
    public void ValidateEntries_MixedValidList_DoesNotThrow()
    {
        ExecutionRules.ValidateEntries(
        [
            ExecutionEntry.ForTarget("t1"),
            ExecutionEntry.ForInclude(Condition.RequestService("pkg.v1.Service")),
            ExecutionEntry.ForTarget("t2"),
            ExecutionEntry.ForInclude(Condition.EventGroup("user.human")),
            ExecutionEntry.ForInclude(Condition.AllRequests),
        ]);
    }

    [Fact]
    public void ValidateEntries_EmptyList_DoesNotThrow()
    {
        ExecutionRules.ValidateEntries([]);
    }

    [Fact]
    public void ValidateEntries_TargetIdEqualToAnIncludedConditionId_IsNotADuplicate()
    {
        ExecutionRules.ValidateEntries([ExecutionEntry.ForTarget("request"), ExecutionEntry.ForInclude(Condition.AllRequests)]);
    }

    [Fact]
    public void ValidateEntries_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ExecutionRules.ValidateEntries(null!));
    }

    [Fact]
    public void ValidateEntries_EmptyTargetId_FailsAtItsPosition()
    {
        InvalidArgumentAssert.Single(
            () => ExecutionRules.ValidateEntries([ExecutionEntry.ForTarget("t1"), ExecutionEntry.ForTarget("")]),
            "targets[1].target",
            "The target id is empty; give the id returned when the target was created.");
    }

    [Fact]
    public void ValidateEntries_TargetIdOf200Characters_IsAcceptedAnd201Rejected()
    {
        ExecutionRules.ValidateEntries([ExecutionEntry.ForTarget(new string('t', 200))]);

        InvalidArgumentAssert.Single(
            () => ExecutionRules.ValidateEntries([ExecutionEntry.ForTarget(new string('t', 201))]),
            "targets[0].target",
            "'" + new string('t', 77) + "...' has 201 characters; target ids have at most 200.");
    }

    [Theory]
    [InlineData("t 1")]
    [InlineData(" t1")]
    [InlineData("t1\t")]
    [InlineData("t\u00001")]
    [InlineData("t\u007F1")]
    public void ValidateEntries_TargetIdWithWhitespaceOrControlCharacter_Fails(string id)
    {
        InvalidArgumentAssert.Single(
            () => ExecutionRules.ValidateEntries([ExecutionEntry.ForTarget(id)]),
            "targets[0].target",
            "contains whitespace or a control character; give the id returned when the target was created.");
    }

    [Fact]
    public void ValidateEntries_TargetIdWithControlCharacter_EchoesItEscaped()
    {
        var violation = InvalidArgumentAssert.Single(
            () => ExecutionRules.ValidateEntries([ExecutionEntry.ForTarget("t\u00011")]),
            "targets[0].target",
            "The target id 't\\u00011' contains");

        Assert.DoesNotContain('\u0001', violation.Description);
    }

    [Fact]
    public void ValidateEntries_SameTargetTwice_FailsNamingBothPositions()
    {
        InvalidArgumentAssert.Single(
            () => ExecutionRules.ValidateEntries(
            [
                ExecutionEntry.ForTarget("t1"),
                ExecutionEntry.ForTarget("t2"),
                ExecutionEntry.ForTarget("t1"),
            ]),
            "targets[2]",
            "The target 't1' is listed twice (first at targets[0]); list each target and each include once.");
    }

    [Fact]
    public void ValidateEntries_SameIncludeTwice_FailsNamingBothPositions()
    {
        InvalidArgumentAssert.Single(
            () => ExecutionRules.ValidateEntries(
            [
                ExecutionEntry.ForTarget("t1"),
                ExecutionEntry.ForInclude(Condition.RequestService("pkg.v1.Service")),
                ExecutionEntry.ForInclude(Condition.Parse("request/pkg.v1.Service")),
            ]),
            "targets[2]",
            "The include 'request/pkg.v1.Service' is listed twice (first at targets[1]); list each target and each include once.");
    }

    [Fact]
    public void ValidateEntries_SameGroupGivenWithAndWithoutWildcard_IsADuplicate()
    {
        InvalidArgumentAssert.Single(
            () => ExecutionRules.ValidateEntries(
            [
                ExecutionEntry.ForInclude(Condition.EventGroup("user.human")),
                ExecutionEntry.ForInclude(Condition.EventGroup("user.human.*")),
            ]),
            "targets[1]",
            "The include 'event/user.human.*' is listed twice (first at targets[0])");
    }

    [Fact]
    public void ValidateEntries_TargetThreeTimes_ReportsEachRepeatAgainstTheFirst()
    {
        var exception = InvalidArgumentAssert.Throws(() => ExecutionRules.ValidateEntries(
        [
            ExecutionEntry.ForTarget("t1"),
            ExecutionEntry.ForTarget("t1"),
            ExecutionEntry.ForTarget("t1"),
        ]));

        Assert.Collection(
            exception.Violations,
            v => InvalidArgumentAssert.Is(v, "targets[1]", "(first at targets[0])"),
            v => InvalidArgumentAssert.Is(v, "targets[2]", "(first at targets[0])"));
    }

    [Fact]
    public void ValidateEntries_NullEntry_FailsAtItsPosition()
    {
        InvalidArgumentAssert.Single(
            () => ExecutionRules.ValidateEntries([ExecutionEntry.ForTarget("t1"), null]),
            "targets[1]",
            "The entry is empty; give {\"target\": \"<target id>\"} or {\"include\": <condition>}.");
    }

    [Fact]
    public void ValidateEntries_SeveralViolations_ListsEveryOneInListOrder()
    {
        var exception = InvalidArgumentAssert.Throws(() => ExecutionRules.ValidateEntries(
        [
            null,
            ExecutionEntry.ForTarget("t1"),
            ExecutionEntry.ForTarget(""),
            ExecutionEntry.ForTarget("t1"),
            ExecutionEntry.ForInclude(Condition.AllEvents),
            ExecutionEntry.ForTarget("bad id"),
            ExecutionEntry.ForInclude(Condition.AllEvents),
        ]));

        Assert.Collection(
            exception.Violations,
            v => InvalidArgumentAssert.Is(v, "targets[0]", "The entry is empty"),
            v => InvalidArgumentAssert.Is(v, "targets[2].target", "The target id is empty"),
            v => InvalidArgumentAssert.Is(v, "targets[3]", "The target 't1' is listed twice (first at targets[1])"),
            v => InvalidArgumentAssert.Is(v, "targets[5].target", "The target id 'bad id' contains whitespace"),
            v => InvalidArgumentAssert.Is(v, "targets[6]", "The include 'event' is listed twice (first at targets[4])"));
        Assert.StartsWith("The input has 5 problems. targets[0]: The entry is empty;", exception.Message, StringComparison.Ordinal);
    }
}
