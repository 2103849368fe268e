using ActionExec.Dispatch;
using ActionExec.Targets;
using ActionExec.Tests.Support;

namespace ActionExec.Tests.Dispatch;

/// <summary>How the caller classifies what a target answered over real HTTP.</summary>
public sealed class TargetCallerTests
{
    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(410, false)]
    [InlineData(301, false)]
    public async Task CallAsync_NonSuccessStatus_FailsAsStatusRetryableOnlyFor408And429And5xx(int status, bool retryable)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Text(status, "no") with { Headers = [new("Retry-After", "7")] });

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.Status, attempt.Failure);
        Assert.Equal(status, attempt.StatusCode);
        Assert.Equal(retryable, attempt.IsRetryable);
        Assert.Equal(TimeSpan.FromSeconds(7), attempt.RetryAfter);
    }

    [Fact]
    public async Task CallAsync_CallTargetAnswersJson_SucceedsWithTheExactBody()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("call", TargetType.Call);
        h.Receiver.Answer("/call", ReceiverAnswer.Json("""{"a": [1, 2], "b": "ü"}"""));

        var attempt = await h.CallAsync(target);

        Assert.True(attempt.Succeeded, attempt.Reason);
        Assert.Equal(200, attempt.StatusCode);
        Assert.Equal("""{"a": [1, 2], "b": "ü"}"""u8.ToArray(), attempt.Body.ToArray());
    }

    [Fact]
    public async Task CallAsync_CallTargetAnswersALoneSurrogateEscape_FailsAsNotJson()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("call", TargetType.Call);
        h.Receiver.Answer("/call", ReceiverAnswer.Json("""{"name": "\uD800"}"""));

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.NotJson, attempt.Failure);
        Assert.Equal("its answer is not JSON", attempt.Reason);
    }

    [Fact]
    public async Task CallAsync_ForwardedStatusInsideANestedValue_IsNotAForwardedError()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("call", TargetType.Call);
        h.Receiver.Answer("/call", ReceiverAnswer.Json("""{"forwardedErrorMessage":{"detail":"kept","forwardedStatusCode":403},"ok":true}"""));

        var attempt = await h.CallAsync(target);

        Assert.True(attempt.Succeeded, attempt.Reason);
        Assert.Null(attempt.ForwardedStatusCode);
    }

    [Fact]
    public async Task CallAsync_TopLevelForwardedStatusAfterANestedOne_IsAForwardedError()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("call", TargetType.Call);
        h.Receiver.Answer("/call", ReceiverAnswer.Json("""{"meta":{"forwardedStatusCode":200},"forwardedStatusCode":404,"forwardedErrorMessage":"gone"}"""));

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.Forwarded, attempt.Failure);
        Assert.Equal(404, attempt.ForwardedStatusCode);
        Assert.Equal("gone", attempt.ForwardedMessage);
        Assert.Equal("it forwarded status 404", attempt.Reason);
        Assert.False(attempt.IsRetryable);
    }
    [Theory]
    [InlineData(TargetType.Webhook, 404, "text/plain", "no such user", TargetFailureKind.Status)]
    [InlineData(TargetType.Call, 200, "text/plain", "accepted", TargetFailureKind.NotJson)]
    [InlineData(TargetType.Call, 200, "application/json", """{"forwardedStatusCode":403,"forwardedErrorMessage":"no"}""", TargetFailureKind.Forwarded)]
    [InlineData(TargetType.Call, 200, "application/json", """{"ok":true}""", TargetFailureKind.None)]
    public async Task CallAsync_TargetAnswered_KeepsItsRawAnswerWhateverTheClassification(TargetType type, int status, string contentType, string body, TargetFailureKind failure)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("hook", type);
        h.Receiver.Answer("/hook", new ReceiverAnswer
        {
            Status = status,
            Body = System.Text.Encoding.UTF8.GetBytes(body),
            Headers = [new("Content-Type", contentType), new("X-Trace", "t-1")],
            Chunked = true,
        });

        var attempt = await h.CallAsync(target);

        Assert.Equal(failure, attempt.Failure);
        var answer = Assert.IsType<TargetResponse>(attempt.Answer);
        Assert.Equal(status, answer.StatusCode);
        Assert.Equal(body, System.Text.Encoding.UTF8.GetString(answer.Body.Span));
        Assert.Contains(new KeyValuePair<string, string>("X-Trace", "t-1"), answer.Headers);
        Assert.Contains(new KeyValuePair<string, string>("Content-Type", contentType), answer.Headers);
        Assert.DoesNotContain(answer.Headers, header => string.Equals(header.Key, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task CallAsync_NoAnswer_HasNoRawAnswer()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("closed", endpoint: HttpActionsHarness.ClosedPortUrl());

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.Transport, attempt.Failure);
        Assert.Null(attempt.Answer);
    }
}
