using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Samples.HostTests.Signup;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace ActionExec.Samples.HostTests.Tests;

/// <summary>
/// Way (a): the host's service over a substitute of <see cref="IActionDispatcher"/>. No ActionExec runs; the test decides what the
/// actions answer. The typed overloads are extension methods over the interface's members, so the substitute sees every call.
/// </summary>
public sealed class SignupServiceTests
{
    private readonly IActionDispatcher _actions = Substitute.For<IActionDispatcher>();
    private readonly SignupService _service;

    public SignupServiceTests()
    {
        _service = new SignupService(_actions, TimeProvider.System);

        // The request actions hand back the request they were given: what happens when no action changes it.
        _actions.RunRequestAsync(Arg.Any<FlowContext>(), Arg.Any<string>(), Arg.Any<FlowMessage>(), Arg.Any<CancellationToken>())
            .Returns(call => ValueTask.FromResult(call.ArgAt<FlowMessage>(2)));
    }

    [Fact]
    public async Task SignUpAsync_NewCustomer_RunsTheRequestActionsAndPublishesTheEvent()
    {
        var customerId = await _service.SignUpAsync("acme", new SignupRequest("ada@example.org", "Ada"));

        await _actions.Received(1).RunRequestAsync(Arg.Is<FlowContext>(c => c.TenantId == "acme"), SignupService.Method, Arg.Any<FlowMessage>(), Arg.Any<CancellationToken>());
        await _actions.Received(1).PublishEventAsync(
            Arg.Is<FlowContext>(c => c.TenantId == "acme"),
            Arg.Is<ActionEvent>(e => e.EventType == SignupService.SignedUpEvent && e.AggregateId == customerId),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task SignUpAsync_AnActionRefuses_NothingIsPublished()
    {
        _actions.RunRequestAsync(Arg.Any<FlowContext>(), Arg.Any<string>(), Arg.Any<FlowMessage>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new ActionExecException(ActionExecErrorCode.InvalidArgument, "the email is blocked"));

        var e = await Assert.ThrowsAsync<ActionExecException>(() => _service.SignUpAsync("acme", new SignupRequest("spam@example.org", "Spam")));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, e.Code);
        await _actions.DidNotReceiveWithAnyArgs().PublishEventAsync(default!, default!, default);
    }
}
