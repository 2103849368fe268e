using ActionExec.Targets;
using static ActionExec.Testing.Tests.Invokers.TargetScriptTests;

namespace ActionExec.Testing.Tests.Invokers;

public sealed class RecordingTargetInvokerTests
{
    [Fact]
    public async Task InvokeAsync_Requests_AreRecordedInOrderWithTheirDetails()
    {
        var invoker = new RecordingTargetInvoker();

        await invoker.InvokeAsync(Request("a", payload: """{"x":1}"""), CancellationToken.None);
        await invoker.InvokeAsync(Request("b", TargetType.Async, attempt: 3), CancellationToken.None);

        var requests = invoker.Requests;
        Assert.Equal(["a", "b"], requests.Select(r => r.TargetName));
        Assert.Equal([1, 2], requests.Select(r => r.Sequence));
        Assert.Equal(1, (int)requests[0].Payload!["x"]!);
        Assert.Equal("id-a", requests[0].TargetId);
        Assert.Equal("delivery-1", requests[1].DeliveryId);
        Assert.Equal(3, requests[1].Attempt);
        Assert.False(requests[1].IsSigned);
    }

    [Fact]
    public async Task Requests_Snapshot_DoesNotChangeWithLaterRequests()
    {
        var invoker = new RecordingTargetInvoker();
        await invoker.InvokeAsync(Request("a"), CancellationToken.None);

        var snapshot = invoker.Requests;
        await invoker.InvokeAsync(Request("b"), CancellationToken.None);

        Assert.Single(snapshot);
        Assert.Equal(2, invoker.Requests.Count);
    }

    [Fact]
    public async Task InvokeAsync_ManyThreads_RecordsEveryRequestOnce()
    {
        var invoker = new RecordingTargetInvoker();

        await Parallel.ForAsync(0, 200, async (i, ct) => await invoker.InvokeAsync(Request("t" + (i % 5)), ct));

        Assert.Equal(Enumerable.Range(1, 200), invoker.Requests.Select(r => r.Sequence).Order());
    }

    [Fact]
    public async Task For_IdAndName_TheIdWins()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.For("audit").FailWithStatus(500);
        invoker.For("id-audit").FailWithStatus(404);

        var response = await invoker.InvokeAsync(Request("audit"), CancellationToken.None);

        Assert.Equal(404, response.StatusCode);
    }

    [Fact]
    public async Task For_Again_ReplacesTheScript()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.For("audit").FailWithStatus(500);
        invoker.For("audit").FailWithStatus(502);

        var response = await invoker.InvokeAsync(Request("audit"), CancellationToken.None);

        Assert.Equal(502, response.StatusCode);
    }

    [Fact]
    public async Task Default_Scripted_AnswersTargetsWithoutAScript()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.Default.FailWithStatus(503);
        invoker.For("ok").Answer("{}");

        Assert.Equal(503, (await invoker.InvokeAsync(Request("other"), CancellationToken.None)).StatusCode);
        Assert.Equal(200, (await invoker.InvokeAsync(Request("ok"), CancellationToken.None)).StatusCode);
    }

    [Fact]
    public async Task ClearRequests_Always_KeepsTheScripts()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.For("a").FailWithStatus(500);
        await invoker.InvokeAsync(Request("a"), CancellationToken.None);

        invoker.ClearRequests();

        Assert.Empty(invoker.Requests);
        Assert.Equal(500, (await invoker.InvokeAsync(Request("a"), CancellationToken.None)).StatusCode);
        Assert.Equal(1, invoker.Requests[0].Sequence);
    }

    [Fact]
    public async Task ClearScripts_Always_AnswersAsUnscripted()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.For("a").FailWithStatus(500);
        invoker.Default.FailWithStatus(500);

        invoker.ClearScripts();

        Assert.Equal(200, (await invoker.InvokeAsync(Request("a"), CancellationToken.None)).StatusCode);
        Assert.Equal(200, (await invoker.InvokeAsync(Request("b"), CancellationToken.None)).StatusCode);
    }

    [Fact]
    public async Task Payload_NotJson_ThrowsAnAssertionExceptionPointingToBody()
    {
        var invoker = new RecordingTargetInvoker();
        await invoker.InvokeAsync(Request("jwt", payload: "eyJhbGciOi"), CancellationToken.None);

        var e = Assert.Throws<ActionExecAssertionException>(() => invoker.Requests[0].Payload);

        Assert.Contains("'jwt'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Body", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("audit", "test://audit")]
    [InlineData("a b", "test://a%20b")]
    public void EndpointFor_Name_IsATestEndpoint(string name, string expected) =>
        Assert.Equal(expected, RecordingTargetInvoker.EndpointFor(name));
}
