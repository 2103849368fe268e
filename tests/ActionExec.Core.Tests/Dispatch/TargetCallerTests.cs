using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Tests.Dispatch;

/// <summary>How the caller reads the outcome an invoker returns, or the exception one throws anyway.</summary>
public sealed class TargetCallerTests
{
    private const string Method = "/shop.v1.Users/SignUp";

    [Theory]
    [InlineData(TargetFailureKind.Transport, true)]
    [InlineData(TargetFailureKind.Timeout, true)]
    [InlineData(TargetFailureKind.ResponseTooLarge, false)]
    [InlineData(TargetFailureKind.Denied, false)]
    public async Task CallAsync_InvokerReturnsAFailure_ClassifiesItByItsKind(TargetFailureKind kind, bool retryable)
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddTargetInvoker("inproc", new FixedInvoker(TargetResponse.Failed(kind, "it says why"))));
        var target = await h.CreateTargetAsync("local", endpoint: "inproc://local");

        var attempt = await h.CallAsync(target);

        Assert.Equal(kind, attempt.Failure);
        Assert.Equal("it says why", attempt.Reason);
        Assert.Null(attempt.StatusCode);
        Assert.Null(attempt.Answer);
        Assert.Equal(retryable, attempt.IsRetryable);
    }

    [Fact]
    public async Task CallAsync_InvokerThrowsACodedException_IsATransportFailure()
    {
        var thrown = new ActionExecException(ActionExecErrorCode.PermissionDenied, "denied by a rule of its own");
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddTargetInvoker("inproc", new FixedInvoker(thrown)));
        var target = await h.CreateTargetAsync("local", endpoint: "inproc://local");

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.Transport, attempt.Failure);
        Assert.True(attempt.IsRetryable);
    }

    [Theory]
    [InlineData(TargetFailureKind.Denied, ActionExecErrorCode.FailedPrecondition)]
    [InlineData(TargetFailureKind.Timeout, ActionExecErrorCode.DeadlineExceeded)]
    public async Task RunRequestAsync_InterruptingTargetsInvokerFails_SurfacesTheKindsCode(TargetFailureKind kind, ActionExecErrorCode code)
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddTargetInvoker("inproc", new FixedInvoker(TargetResponse.Failed(kind, "it says why"))));
        var target = await h.CreateTargetAsync("local", TargetType.Call, interrupt: true, endpoint: "inproc://local");
        await h.SetAsync(Condition.RequestMethod(Method), target);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, Method, new JsonObject()).AsTask());

        Assert.Equal(code, error.Code);
        Assert.Equal("target local failed: it says why", error.Message);
    }

    private sealed class FixedInvoker : ITargetInvoker
    {
        private readonly TargetResponse? _response;
        private readonly Exception? _exception;

        public FixedInvoker(TargetResponse response) => _response = response;

        public FixedInvoker(Exception exception) => _exception = exception;

        public ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken) =>
            _exception is null ? ValueTask.FromResult(_response!) : ValueTask.FromException<TargetResponse>(_exception);
    }
}
