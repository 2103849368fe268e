using ActionExec.Includes;

namespace ActionExec.Tests.Includes;

public sealed class IncludeProblemTests
{
    [Fact]
    public void Message_Cycle_JoinsThePathWithArrows()
    {
        var problem = new IncludeProblem(IncludeProblemKind.Cycle, ["request/a", "request/b", "request/a"], 2, 2);

        Assert.Equal("include cycle: request/a -> request/b -> request/a", problem.Message);
    }

    [Fact]
    public void Message_Depth_NamesDepthMaximumAndPath()
    {
        var problem = new IncludeProblem(
            IncludeProblemKind.Depth, ["event", "request/a", "request/b", "request/c"], 3, 2);

        Assert.Equal("include depth 3 exceeds 2: event -> request/a -> request/b -> request/c", problem.Message);
    }
}
