using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Executions;

namespace ActionExec.Tests.Executions;

public sealed class ExecutionTests
{
    private static readonly ExecutionDetails Details = new(3, new DateTimeOffset(2024, 12, 18, 7, 50, 47, TimeSpan.Zero), "tenant-1");

    [Fact]
    public void Constructor_SetsEveryProperty()
    {
        var condition = Condition.RequestMethod("/pkg.v1.Service/Method");
        ImmutableArray<ExecutionEntry> entries = [ExecutionEntry.ForTarget("t1")];

        var execution = new Execution(condition, entries, Details);

        Assert.Same(condition, execution.Condition);
        Assert.Equal(new[] { ExecutionEntry.ForTarget("t1") }, execution.Entries);
        Assert.Same(Details, execution.Details);
        Assert.Equal("request/pkg.v1.Service/Method", execution.Id);
    }

    [Fact]
    public void Constructor_DefaultEntries_AreEmpty()
    {
        var execution = new Execution(Condition.AllEvents, default, Details);

        Assert.False(execution.Entries.IsDefault);
        Assert.Empty(execution.Entries);
    }

    [Fact]
    public void Constructor_NullConditionOrDetails_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => new Execution(null!, [], Details));
        Assert.Throws<ArgumentNullException>(() => new Execution(Condition.AllEvents, [], null!));
    }

    [Fact]
    public void Equals_EqualEntriesInDifferentArrays_AreEqualWithTheSameHashCode()
    {
        var a = new Execution(
            Condition.RequestService("pkg.Svc"),
            [ExecutionEntry.ForTarget("t1"), ExecutionEntry.ForInclude(Condition.EventGroup("user"))],
            Details);
        var b = new Execution(
            Condition.Parse("request/pkg.Svc"),
            [ExecutionEntry.ForTarget("t1"), ExecutionEntry.ForInclude(Condition.EventGroup("user.*"))],
            Details with { });

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_SameEntriesInAnotherOrder_AreNotEqual()
    {
        var a = new Execution(Condition.AllRequests, [ExecutionEntry.ForTarget("t1"), ExecutionEntry.ForTarget("t2")], Details);
        var b = new Execution(Condition.AllRequests, [ExecutionEntry.ForTarget("t2"), ExecutionEntry.ForTarget("t1")], Details);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Equals_DifferentCondition_DetailsOrLength_AreNotEqual()
    {
        var a = new Execution(Condition.AllRequests, [ExecutionEntry.ForTarget("t1")], Details);

        Assert.NotEqual(a, new Execution(Condition.AllResponses, [ExecutionEntry.ForTarget("t1")], Details));
        Assert.NotEqual(a, new Execution(Condition.AllRequests, [ExecutionEntry.ForTarget("t1")], Details with { Sequence = 4 }));
        Assert.NotEqual(a, new Execution(Condition.AllRequests, [ExecutionEntry.ForTarget("t1"), ExecutionEntry.ForTarget("t2")], Details));
        Assert.NotEqual(a, new Execution(Condition.AllRequests, [], Details));
        Assert.False(a.Equals(null));
    }
}
