using ActionExec.Conditions;
using ActionExec.Matching;

namespace ActionExec.Tests.Matching;

public sealed class NaiveMatcherTests : MatcherBehaviourTests
{
    [Fact]
    public void Build_NullCondition_ThrowsNamingTheIndex()
    {
        var exception = Assert.Throws<ArgumentException>(() => NaiveMatcher.Build([Condition.AllEvents, null!]));

        Assert.Equal("conditions", exception.ParamName);
        Assert.StartsWith("The condition at index 1 is null; pass only conditions.", exception.Message, StringComparison.Ordinal);
    }

    protected override Func<ConditionKind, string, int> Build(params Condition[] conditions)
    {
        var matcher = NaiveMatcher.Build(conditions);
        return (kind, value) => matcher.Match(kind, value);
    }
}
