using System.Text;
using ActionExec.Dispatch;
using ActionExec.Samples.HostTests.Signup;
using ActionExec.Targets;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace ActionExec.Samples.HostTests.Tests;

/// <summary>
/// Way (b): the host's own <see cref="ITargetInvoker"/>, called directly with a <see cref="TargetRequest"/> built by hand; the
/// mailer it uses is a substitute. The invoker returns its outcome, so the test asserts a value.
/// </summary>
public sealed class WelcomeMailInvokerTests
{
    private static readonly Target Welcome = new()
    {
        Id = "t-welcome",
        Name = "welcome-mail",
        Endpoint = "inproc://welcome-mail",
        Type = TargetType.Async,
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly IMailer _mailer = Substitute.For<IMailer>();

    [Fact]
    public async Task InvokeAsync_SignedUpEvent_SendsTheWelcomeMailAndAnswersOk()
    {
        var invoker = new WelcomeMailInvoker(_mailer);

        var response = await invoker.InvokeAsync(Request(Welcome), CancellationToken.None);

        Assert.True(response.IsSuccess);
        await _mailer.Received(1).SendAsync("ada@example.org", "Welcome, Ada!", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task InvokeAsync_MailServerDown_IsATransportFailureToRetry()
    {
        _mailer.SendAsync(default!, default!, default).ThrowsAsyncForAnyArgs(new IOException("connection refused"));
        var invoker = new WelcomeMailInvoker(_mailer);

        var response = await invoker.InvokeAsync(Request(Welcome), CancellationToken.None);

        Assert.Equal(TargetFailureKind.Transport, response.Failure);
    }

    [Fact]
    public async Task InvokeAsync_UnknownInProcessTarget_IsDenied()
    {
        var invoker = new WelcomeMailInvoker(_mailer);

        var response = await invoker.InvokeAsync(Request(Welcome with { Endpoint = "inproc://nobody" }), CancellationToken.None);

        Assert.Equal(TargetFailureKind.Denied, response.Failure);
        await _mailer.DidNotReceiveWithAnyArgs().SendAsync(default!, default!, default);
    }

    private static TargetRequest Request(Target target) => new(
        target,
        Encoding.UTF8.GetBytes("""{"event_type":"customer.signedup","aggregateID":"c-1","event_payload":{"customerId":"c-1","email":"ada@example.org","name":"Ada"}}"""),
        deliveryId: "d-1");
}
