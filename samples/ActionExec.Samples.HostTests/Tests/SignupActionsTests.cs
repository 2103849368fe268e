using ActionExec.Errors;
using ActionExec.Samples.HostTests.Signup;
using ActionExec.Testing;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace ActionExec.Samples.HostTests.Tests;

/// <summary>
/// Way (c): the host's configured actions end to end with ActionExec.Testing. The host's own registrations and setup run as in
/// production; the recording invoker answers the <c>https</c> targets without a network, the host's in-process invoker runs for
/// real, events are delivered before <c>PublishEventAsync</c> returns, and the clock is a FakeTimeProvider the test moves.
/// </summary>
public sealed class SignupActionsTests
{
    private readonly IMailer _mailer = Substitute.For<IMailer>();

    [Fact]
    public async Task SignUp_ConfiguredActions_CheckTheEmailThenWelcomeAndTellTheCrm()
    {
        await using var host = await StartAsync();
        var signup = host.Services.GetRequiredService<SignupService>();

        await signup.SignUpAsync(host.TenantId, new SignupRequest("ada@example.org", "Ada"));

        var check = host.Invoker.Requests.ShouldHaveCalledOnce("email-check");
        Assert.Equal("ada@example.org", (string)check.Payload!["request"]!["email"]!);
        var crm = host.Invoker.Requests.ShouldHaveCalledOnce("crm");
        Assert.Equal("customer.signedup", (string)crm.Payload!["event_type"]!);
        await _mailer.Received(1).SendAsync("ada@example.org", "Welcome, Ada!", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task SignUp_EmailCheckChangesTheRequest_TheCustomerGetsTheChangedEmail()
    {
        await using var host = await StartAsync();
        host.Invoker.For("email-check").Answer("""{"email":"ada@example.org","name":"Ada"}""");

        await host.Services.GetRequiredService<SignupService>().SignUpAsync(host.TenantId, new SignupRequest("ADA@Example.org", "Ada"));

        Assert.Equal("ada@example.org", (string)host.Invoker.Requests.ShouldHaveCalledOnce("crm").Payload!["event_payload"]!["email"]!);
    }

    [Fact]
    public async Task SignUp_EmailCheckRefuses_TheSignupFailsAndNothingIsDelivered()
    {
        await using var host = await StartAsync();
        host.Invoker.For("email-check").ForwardError(400, "this email domain is blocked");

        var e = await Assert.ThrowsAsync<ActionExecException>(() => host.Services.GetRequiredService<SignupService>().SignUpAsync(host.TenantId, new SignupRequest("x@spam.example", "X")));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, e.Code);
        host.Invoker.Requests.ShouldNotHaveCalled("crm");
        await _mailer.DidNotReceiveWithAnyArgs().SendAsync(default!, default!, default);
    }

    [Fact]
    public async Task SignUp_CrmDown_IsRetriedFiveSecondsLater()
    {
        await using var host = await StartAsync();
        host.Invoker.For("crm").FailWithStatus(503).Answer("{}");

        await host.Services.GetRequiredService<SignupService>().SignUpAsync(host.TenantId, new SignupRequest("ada@example.org", "Ada"));
        host.Invoker.Requests.ShouldHaveCalled("crm", times: 1);

        await host.AdvanceAsync(TimeSpan.FromSeconds(5));

        var attempts = host.Invoker.Requests.ShouldHaveCalled("crm", times: 2);
        Assert.Equal(2, attempts[1].Attempt);
        await _mailer.Received(1).SendAsync("ada@example.org", "Welcome, Ada!", Arg.Any<CancellationToken>());
    }

    private Task<ActionExecTestHost> StartAsync() => ActionExecTestHost.StartAsync(b => b
        .Tenant("acme")
        .Services(s => s.AddSingleton(_mailer).AddSignupActions())
        .Seed(SignupActions.CreateAsync));
}
