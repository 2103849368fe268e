using System.Text;
using System.Text.Json.Nodes;
using ActionExec.Dispatch;
using ActionExec.Targets;

namespace ActionExec.Testing.Tests.Invokers;

public sealed class TargetScriptTests
{
    [Fact]
    public async Task Answer_SeveralAnswers_UsesEachInTurnAndRepeatsTheLast()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.For("audit").FailWithStatus(503).Answer("""{"n":2}""");

        var first = await invoker.InvokeAsync(Request("audit"), CancellationToken.None);
        var second = await invoker.InvokeAsync(Request("audit"), CancellationToken.None);
        var third = await invoker.InvokeAsync(Request("audit"), CancellationToken.None);

        Assert.Equal(503, first.StatusCode);
        Assert.Equal("""{"n":2}""", Encoding.UTF8.GetString(second.Body.Span));
        Assert.Equal("""{"n":2}""", Encoding.UTF8.GetString(third.Body.Span));
    }

    [Fact]
    public void Answer_NotJson_ThrowsNamingTheValue()
    {
        var script = new RecordingTargetInvoker().For("audit");

        var e = Assert.Throws<ArgumentException>(() => script.Answer("not json"));

        Assert.Equal("json", e.ParamName);
        Assert.Contains("'not json'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_FromTheRequest_AnswersWhatTheFunctionMakes()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.For("enrich").Answer(r =>
        {
            var message = r.Payload!["request"]!.DeepClone();
            message["checked"] = true;
            return message;
        });

        var response = await invoker.InvokeAsync(Request("enrich", TargetType.Call, """{"request":{"name":"Ada"}}"""), CancellationToken.None);

        Assert.Equal("""{"name":"Ada","checked":true}""", Encoding.UTF8.GetString(response.Body.Span));
    }

    [Fact]
    public async Task TimeOut_Always_FailsAsATimeout()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.For("slow").TimeOut();

        var response = await invoker.InvokeAsync(Request("slow"), CancellationToken.None);

        Assert.Equal(TargetFailureKind.Timeout, response.Failure);
    }

    [Fact]
    public async Task FailTransport_Always_FailsAsATransportFailure()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.For("down").FailTransport();

        var response = await invoker.InvokeAsync(Request("down"), CancellationToken.None);

        Assert.Equal(TargetFailureKind.Transport, response.Failure);
    }

    [Fact]
    public async Task FailWithStatus_RetryAfter_IsAnswered()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.For("busy").FailWithStatus(429, retryAfter: TimeSpan.FromSeconds(30));

        var response = await invoker.InvokeAsync(Request("busy"), CancellationToken.None);

        Assert.Equal(429, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), response.RetryAfter);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(600)]
    public void FailWithStatus_NotAStatus_Throws(int status) =>
        Assert.Throws<ArgumentOutOfRangeException>("statusCode", () => new RecordingTargetInvoker().For("t").FailWithStatus(status));

    [Fact]
    public async Task ForwardError_Always_AnswersTheForwardedErrorShape()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.For("guard").ForwardError(403, "not allowed");

        var response = await invoker.InvokeAsync(Request("guard"), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        var body = JsonNode.Parse(response.Body.Span)!;
        Assert.Equal(403, (int)body["forwardedStatusCode"]!);
        Assert.Equal("not allowed", (string)body["forwardedErrorMessage"]!);
    }

    [Theory]
    [InlineData("""{"fullMethod":"/a.v1.S/M","request":{"a":1},"response":{"b":2}}""", """{"b":2}""")]
    [InlineData("""{"fullMethod":"/a.v1.S/M","request":{"a":1}}""", """{"a":1}""")]
    [InlineData("""{"function":"function/f"}""", "{}")]
    public async Task LeaveUnchanged_CallTarget_AnswersTheMessageItWasSent(string payload, string expected)
    {
        var invoker = new RecordingTargetInvoker();

        var response = await invoker.InvokeAsync(Request("any", TargetType.Call, payload), CancellationToken.None);

        Assert.Equal(expected, Encoding.UTF8.GetString(response.Body.Span));
    }

    [Fact]
    public async Task LeaveUnchanged_Webhook_AnswersOkWithoutABody()
    {
        var response = await new RecordingTargetInvoker().InvokeAsync(Request("hook"), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.True(response.Body.IsEmpty);
    }

    [Fact]
    public async Task Respond_Always_ReturnsTheResponseMade()
    {
        var invoker = new RecordingTargetInvoker();
        invoker.For("raw").Respond(_ => new TargetResponse(200, "plain"u8.ToArray()));

        var response = await invoker.InvokeAsync(Request("raw"), CancellationToken.None);

        Assert.Equal("plain", Encoding.UTF8.GetString(response.Body.Span));
    }

    internal static TargetRequest Request(string name, TargetType type = TargetType.Webhook, string payload = "{}", string? id = null, int attempt = 1) =>
        new(
            new Target
            {
                Id = id ?? "id-" + name,
                Name = name,
                Endpoint = RecordingTargetInvoker.EndpointFor(name),
                Type = type,
                Timeout = TimeSpan.FromSeconds(10),
            },
            Encoding.UTF8.GetBytes(payload),
            "delivery-1",
            attempt);
}
