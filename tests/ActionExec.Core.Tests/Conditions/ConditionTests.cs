using ActionExec.Conditions;

namespace ActionExec.Tests.Conditions;

public sealed class ConditionTests
{
    [Fact]
    public void RequestMethod_WithoutLeadingSlash_RestoresIt()
    {
        var condition = Condition.RequestMethod("pkg.v1.Service/Method");

        Assert.Equal("request/pkg.v1.Service/Method", condition.Id);
        Assert.Equal("/pkg.v1.Service/Method", condition.Value);
    }
}
