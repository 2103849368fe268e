using ActionExec.Diagnostics;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Storage;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Dispatch;

/// <summary>The deadline of an attempt, driven by a fake clock.</summary>
public sealed class TargetCallerDeadlineTests
{
    private readonly FakeTimeProvider _time = new(TestTime.Start);

    [Fact]
    public async Task CallAsync_InvokerThatIgnoresItsToken_TimesOutAtTheDeadlineAndLaterFindsItsTokenUsable()
    {
        var invoker = new StubbornInvoker();
        using var telemetry = new ActionExecTelemetry();
        var caller = new TargetCaller(
            new TargetInvokerRegistry([KeyValuePair.Create<string, ITargetInvoker>("inproc", invoker)]),
            _time,
            Options.Create(new DispatchOptions()),
            telemetry,
            NullLogger<TargetCaller>.Instance);

        var call = caller.CallAsync(Target(TimeSpan.FromSeconds(2)), "{}"u8.ToArray(), "d1", 1, CancellationToken.None).AsTask();
        await invoker.Started.Task;
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(2));
        var attempt = await call;

        Assert.Equal(TargetFailureKind.Timeout, attempt.Failure);
        Assert.Equal("no answer within its timeout of 2s", attempt.Reason);

        // The abandoned invoker finishes later and still uses its token: that must not throw.
        invoker.Release.SetResult();
        Assert.True(await invoker.Finished.Task);
    }

    [Fact]
    public void DispatchOptionsValidator_ListsEveryProblem()
    {
        var options = new DispatchOptions { MaxResponseBytes = 0 };
        options.HeaderAllowList.Add("Bad Header");

        var result = new DispatchOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("MaxResponseBytes is 0", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("'Bad Header'", StringComparison.Ordinal));
    }

    private static ResolvedTarget Target(TimeSpan timeout) => new(new StoredTarget(
        new Target { Id = "t1", Name = "stubborn", Endpoint = "inproc://stubborn", Type = TargetType.Webhook, Timeout = timeout },
        "key"));

    /// <summary>An invoker that ignores cancellation until released, then touches its token.</summary>
    private sealed class StubbornInvoker : ITargetInvoker
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
        {
            Started.SetResult();
            await Release.Task;
            try
            {
                using var registration = cancellationToken.Register(static () => { });
                Finished.SetResult(cancellationToken.IsCancellationRequested);
            }
            catch (ObjectDisposedException)
            {
                Finished.SetResult(false);
            }

            return TargetResponse.Ok();
        }
    }
}
