using ActionExec.Conditions;
using ActionExec.Executions;

namespace ActionExec.Tests.Executions;

public sealed class ExecutionEntryTests
{
    [Fact]
    public void ForTarget_SetsKindAndTargetId()
    {
        var entry = ExecutionEntry.ForTarget("t1");

        Assert.Equal(ExecutionEntryKind.Target, entry.Kind);
        Assert.Equal("t1", entry.TargetId);
        Assert.Null(entry.Include);
        Assert.Equal("target:t1", entry.ToString());
    }

    [Fact]
    public void ForInclude_SetsKindAndCondition()
    {
        var entry = ExecutionEntry.ForInclude(Condition.EventGroup("user.human"));

        Assert.Equal(ExecutionEntryKind.Include, entry.Kind);
        Assert.Null(entry.TargetId);
        Assert.Equal(Condition.EventGroup("user.human"), entry.Include);
        Assert.Equal("include:event/user.human.*", entry.ToString());
    }

    [Fact]
    public void Equals_SameTargetId_AreEqualWithTheSameHashCode()
    {
        var a = ExecutionEntry.ForTarget("t1");
        var b = ExecutionEntry.ForTarget(string.Concat("t", "1"));

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ExecutionEntry.ForTarget("T1"));
    }

    [Fact]
    public void Equals_IncludesOfEqualConditions_AreEqualWithTheSameHashCode()
    {
        var a = ExecutionEntry.ForInclude(Condition.RequestMethod("pkg.Svc/M"));
        var b = ExecutionEntry.ForInclude(Condition.Parse("request/pkg.Svc/M"));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ExecutionEntry.ForInclude(Condition.ResponseMethod("pkg.Svc/M")));
    }

    [Fact]
    public void Equals_TargetAndIncludeWithTheSameText_AreNotEqual()
    {
        Assert.NotEqual(ExecutionEntry.ForTarget("request"), ExecutionEntry.ForInclude(Condition.AllRequests));
    }

    [Fact]
    public void ForTarget_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ExecutionEntry.ForTarget(null!));
    }

    [Fact]
    public void ForTarget_EmptyId_IsLeftToValidateEntries()
    {
        Assert.Equal("", ExecutionEntry.ForTarget("").TargetId);
    }

    [Fact]
    public void ForInclude_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ExecutionEntry.ForInclude(null!));
    }
}
