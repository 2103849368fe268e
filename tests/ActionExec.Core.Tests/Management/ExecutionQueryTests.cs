using ActionExec.Conditions;
using ActionExec.Management;

namespace ActionExec.Tests.Management;

/// <summary>An execution query's defaults and its filters' value semantics.</summary>
public sealed class ExecutionQueryTests
{
    private static readonly Condition Event = Condition.Event("user.human.added");
    private static readonly Condition Function = Condition.Function("preuserinfo");

    [Fact]
    public void New_Defaults_AreEveryExecutionNewestFirstOnTheDefaultPage()
    {
        var query = new ExecutionQuery();

        Assert.False(query.Filters.IsDefault);
        Assert.Empty(query.Filters);
        Assert.Equal(ExecutionQuery.SortField.CreationDate, query.SortingColumn);
        Assert.False(query.Ascending);
        Assert.Equal((0L, 0), (query.Offset, query.Limit));
    }

    [Fact]
    public void InConditions_SameConditionsInOrder_AreEqualWithEqualHashes()
    {
        var a = ExecutionQuery.Filter.InConditions([Event, Function]);
        var b = ExecutionQuery.Filter.InConditions(new List<Condition> { Event, Function });

        Assert.Null(a.ExecutionType);
        Assert.Null(a.TargetId);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void InConditions_OtherConditions_AreNotEqual()
    {
        var a = ExecutionQuery.Filter.InConditions([Event, Function]);

        Assert.NotEqual(a, ExecutionQuery.Filter.InConditions([Function, Event]));
        Assert.NotEqual(a, ExecutionQuery.Filter.InConditions([Event]));
    }

    [Fact]
    public void OfTypeAndByTarget_SameValue_AreEqualWithEqualHashes()
    {
        Assert.Equal(ExecutionQuery.Filter.OfType(ConditionKind.Event), ExecutionQuery.Filter.OfType(ConditionKind.Event));
        Assert.Equal(ExecutionQuery.Filter.OfType(ConditionKind.Event).GetHashCode(), ExecutionQuery.Filter.OfType(ConditionKind.Event).GetHashCode());
        Assert.Equal(ExecutionQuery.Filter.ByTarget("t1"), ExecutionQuery.Filter.ByTarget("t1"));
        Assert.Equal(ExecutionQuery.Filter.ByTarget("t1").GetHashCode(), ExecutionQuery.Filter.ByTarget("t1").GetHashCode());
    }

    [Fact]
    public void Filter_DifferentKinds_AreNotEqual()
    {
        var ofType = ExecutionQuery.Filter.OfType(ConditionKind.Event);
        var byTarget = ExecutionQuery.Filter.ByTarget("t1");
        var inConditions = ExecutionQuery.Filter.InConditions([]);

        Assert.True(ofType.Conditions.IsDefault);
        Assert.NotEqual(ofType, ExecutionQuery.Filter.OfType(ConditionKind.Function));
        Assert.NotEqual(byTarget, ExecutionQuery.Filter.ByTarget("t2"));
        Assert.NotEqual(ofType, byTarget);
        Assert.NotEqual(inConditions, byTarget);
        Assert.NotEqual(byTarget, inConditions);
        Assert.False(inConditions.Equals(null));
    }

    [Fact]
    public void Factories_NullArgument_ThrowNamingIt()
    {
        Assert.Equal("conditions", Assert.Throws<ArgumentNullException>(() => ExecutionQuery.Filter.InConditions(null!)).ParamName);
        Assert.Equal("conditions", Assert.Throws<ArgumentNullException>(() => ExecutionQuery.Filter.InConditions([Event, null!])).ParamName);
        Assert.Equal("targetId", Assert.Throws<ArgumentNullException>(() => ExecutionQuery.Filter.ByTarget(null!)).ParamName);
    }
}
