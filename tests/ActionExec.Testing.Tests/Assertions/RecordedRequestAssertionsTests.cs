using static ActionExec.Testing.Tests.Invokers.TargetScriptTests;

namespace ActionExec.Testing.Tests.Assertions;

public sealed class RecordedRequestAssertionsTests
{
    [Fact]
    public async Task ShouldHaveCalled_Called_ReturnsTheFirstRequest()
    {
        var requests = await RecordAsync("a", "b", "a");

        var request = requests.ShouldHaveCalled("a");

        Assert.Equal(1, request.Sequence);
    }

    [Fact]
    public async Task ShouldHaveCalled_ById_FindsTheTarget()
    {
        var requests = await RecordAsync("a");

        Assert.Equal("a", requests.ShouldHaveCalled("id-a").TargetName);
    }

    [Fact]
    public async Task ShouldHaveCalled_NotCalled_ThrowsListingTheCallsMade()
    {
        var requests = await RecordAsync("a", "b");

        var e = Assert.Throws<ActionExecAssertionException>(() => requests.ShouldHaveCalled("c"));

        Assert.StartsWith("Expected a call to target 'c', but it was not called. The calls made (2):", e.Message, StringComparison.Ordinal);
        Assert.Contains("#1 a (webhook, attempt 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("#2 b (webhook, attempt 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldHaveCalled_NothingCalled_SaysSo()
    {
        var requests = await RecordAsync();

        var e = Assert.Throws<ActionExecAssertionException>(() => requests.ShouldHaveCalled("c"));

        Assert.EndsWith("No target was called.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldHaveCalledTimes_OtherCount_Throws()
    {
        var requests = await RecordAsync("a", "a");

        Assert.Equal(2, requests.ShouldHaveCalled("a", 2).Count);
        var e = Assert.Throws<ActionExecAssertionException>(() => requests.ShouldHaveCalled("a", 3));
        Assert.StartsWith("Expected 3 calls to target 'a', but it got 2 calls.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldHaveCalledOnce_Twice_Throws()
    {
        var requests = await RecordAsync("a", "a", "b");

        Assert.Equal("b", requests.ShouldHaveCalledOnce("b").TargetName);
        Assert.Throws<ActionExecAssertionException>(() => requests.ShouldHaveCalledOnce("a"));
    }

    [Fact]
    public async Task ShouldNotHaveCalled_Called_Throws()
    {
        var requests = await RecordAsync("a");

        requests.ShouldNotHaveCalled("b");
        var e = Assert.Throws<ActionExecAssertionException>(() => requests.ShouldNotHaveCalled("a"));
        Assert.StartsWith("Expected no call to target 'a', but it got 1 call.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldHaveCalledNothing_Called_Throws()
    {
        (await RecordAsync()).ShouldHaveCalledNothing();

        Assert.Throws<ActionExecAssertionException>(() => RecordAsync("a").GetAwaiter().GetResult().ShouldHaveCalledNothing());
    }

    [Fact]
    public async Task ShouldHaveCalledInOrder_InOrderWithOthersBetween_ReturnsTheMatches()
    {
        var requests = await RecordAsync("x", "a", "y", "b", "z");

        var matches = requests.ShouldHaveCalledInOrder("a", "b");

        Assert.Equal([2, 4], matches.Select(r => r.Sequence));
    }

    [Fact]
    public async Task ShouldHaveCalledInOrder_WrongOrder_ThrowsNamingTheMissingStep()
    {
        var requests = await RecordAsync("b", "a");

        var e = Assert.Throws<ActionExecAssertionException>(() => requests.ShouldHaveCalledInOrder("a", "b"));

        Assert.StartsWith("Expected calls to 'a', 'b' in that order, but 'b' was not called after 'a'.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldHaveCalledInOrder_NoTargets_Throws()
    {
        var requests = await RecordAsync("a");

        Assert.Throws<ArgumentException>("targetNamesOrIds", () => requests.ShouldHaveCalledInOrder());
    }

    [Fact]
    public async Task ShouldHaveCalledExactly_OtherCalls_Throws()
    {
        var requests = await RecordAsync("a", "b");

        requests.ShouldHaveCalledExactly("a", "b");
        Assert.Throws<ActionExecAssertionException>(() => requests.ShouldHaveCalledExactly("a"));
        Assert.Throws<ActionExecAssertionException>(() => requests.ShouldHaveCalledExactly("b", "a"));
        Assert.Throws<ActionExecAssertionException>(() => requests.ShouldHaveCalledExactly("a", "b", "c"));
    }

    [Fact]
    public async Task To_Target_FiltersItsRequests()
    {
        var requests = await RecordAsync("a", "b", "a");

        Assert.Equal([1, 3], requests.To("a").Select(r => r.Sequence));
    }

    private static async Task<IReadOnlyList<RecordedTargetRequest>> RecordAsync(params string[] targets)
    {
        var invoker = new RecordingTargetInvoker();
        foreach (var target in targets)
        {
            await invoker.InvokeAsync(Request(target), CancellationToken.None);
        }

        return invoker.Requests;
    }
}
