using ActionExec.Conditions;
using ActionExec.Matching;

namespace ActionExec.Tests.Matching;

public sealed class ConditionMatcherTests : MatcherBehaviourTests
{
    [Fact]
    public void Build_NullCondition_ThrowsNamingTheIndex()
    {
        var exception = Assert.Throws<ArgumentException>(() => ConditionMatcher.Build([Condition.AllEvents, null!]));

        Assert.Equal("conditions", exception.ParamName);
        Assert.StartsWith("The condition at index 1 is null; pass only conditions.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_EveryKindHitOrMiss_AllocatesNothing()
    {
        var matcher = ConditionMatcher.Build(
        [
            Condition.RequestMethod("/pkg.v1.Svc/Get"),
            Condition.RequestService("pkg.v1.Svc"),
            Condition.AllRequests,
            Condition.ResponseService("pkg.v1.Svc"),
            Condition.Function("preuserinfo"),
            Condition.Event("user.human.added"),
            Condition.EventGroup("user.human"),
            Condition.AllEvents,
        ]);
        string[] values = ["/pkg.v1.Svc/Get", "pkg.v1.Svc/List", "/pkg.v1.Other/Get", "user.human.added", "user.human.phone.verified", "org.added", "preuserinfo", "", "//"];
        ConditionKind[] kinds = [ConditionKind.Request, ConditionKind.Response, ConditionKind.Event, ConditionKind.Function];
        var matched = RunAll(matcher, kinds, values);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            matched += RunAll(matcher, kinds, values);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(101 * 21, matched);
    }

    [Fact]
    public void Build_DifferentSeeds_SameAnswers()
    {
        Condition[] conditions = [Condition.EventGroup("user"), Condition.EventGroup("user.human"), Condition.Event("user.human.added"), Condition.RequestMethod("/a.B/C")];

        for (var seed = 0UL; seed < 64; seed++)
        {
            var matcher = ConditionMatcher.Build(conditions, seed);

            Assert.Equal(1, matcher.Match(ConditionKind.Event, "user.human.removed"));
            Assert.Equal(2, matcher.Match(ConditionKind.Event, "user.human.added"));
            Assert.Equal(0, matcher.Match(ConditionKind.Event, "user.machine.added"));
            Assert.Equal(3, matcher.Match(ConditionKind.Request, "a.B/C"));
        }
    }

    protected override Func<ConditionKind, string, int> Build(params Condition[] conditions)
    {
        var matcher = ConditionMatcher.Build(conditions);
        return (kind, value) => matcher.Match(kind, value);
    }

    private static int RunAll(ConditionMatcher matcher, ConditionKind[] kinds, string[] values)
    {
        var matched = 0;
        foreach (var kind in kinds)
        {
            foreach (var value in values)
            {
                matched += matcher.Match(kind, value) >= 0 ? 1 : 0;
            }
        }

        return matched;
    }
}
