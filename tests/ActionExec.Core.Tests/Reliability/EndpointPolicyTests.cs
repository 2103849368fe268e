using System.Net;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Http;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Tests.Reliability;

/// <summary>
/// The endpoint policy (spec §8) cannot be walked around: a denied network is denied when reached through a host name, a
/// redirect from an allowed server to a denied address is never followed, and a denied endpoint is never retried.
/// </summary>
public sealed class EndpointPolicyTests
{
    private const string Method = "/reliability.v1.Policy/Run";

    // The whole of 127.0.0.0/8 is loopback on Linux, so a second address stands for "somewhere the policy denies".
    private static readonly IPAddress Denied = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task RunRequestAsync_DeniedNetworkReachedThroughAHostName_FailsWithoutConnecting()
    {
        await using var server = await FaultServer.StartAsync();
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddHttpTargets(o => o.DeniedNetworks.Add("127.0.0.0/8")));
        var endpoint = $"http://localhost:{server.Port}{FaultServer.Ok}/by-name";
        var target = await h.CreateTargetAsync("by-name", interrupt: true, endpoint: endpoint);
        await h.SetAsync(Condition.RequestMethod(Method), target);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("{}")).AsTask());

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal($"target by-name failed: endpoint {endpoint} is denied: localhost resolves to 127.0.0.1, in the denied network 127.0.0.0/8", error.Message);
        Assert.Equal(0, server.Connections);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task RunRequestAsync_DefaultPolicyAndAReceiverOnLoopback_FailsWithThePolicysReasonAndTheReceiverSeesNothing(string host)
    {
        await using var h = await HttpActionsHarness.StartAsync(allowLoopback: false);
        h.Receiver.Answer("/default-policy", ReceiverAnswer.Ok);
        var endpoint = h.Receiver.Url("/default-policy").Replace("127.0.0.1", host, StringComparison.Ordinal);
        var target = await h.CreateTargetAsync("default-policy", TargetType.Call, interrupt: true, endpoint: endpoint);
        await h.SetAsync(Condition.RequestMethod(Method), target);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("{}")).AsTask());

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        var reason = string.Equals(host, "localhost", StringComparison.Ordinal)
            ? $"localhost resolves to {(error.Message.Contains("::1", StringComparison.Ordinal) ? "::1, in the loopback network ::1/128" : "127.0.0.1, in the loopback network 127.0.0.0/8")}"
            : "127.0.0.1 is in the loopback network 127.0.0.0/8";
        Assert.Equal($"target default-policy failed: endpoint {endpoint} is denied: {reason}, which targets may not reach by default; call AllowLoopback() on the HTTP target options to allow it", error.Message);
        Assert.Equal(0, h.Receiver.Connections);
        Assert.Empty(h.Receiver.Requests);
    }

    [Fact]
    public async Task DeliveryWorker_DefaultPolicyAndAReceiverOnLoopback_DeadLettersWithThePolicysReasonAndTheReceiverSeesNothing()
    {
        await using var server = await FaultServer.StartAsync();
        await using var h = new LiveDeliveryHarness(_ => { }, allowLoopback: false);
        var endpoint = $"http://127.0.0.1:{server.Port}{FaultServer.Ok}/background-default";
        var target = await h.CreateTargetAsync("background-default", endpoint);
        await h.SetExecutionAsync(Condition.Event("order.placed"), target);
        await h.PublishAsync("order.placed", "agg-1");

        await h.StartAsync();
        await h.WaitForFinishedAsync(1);

        var deadLetter = Assert.Single(h.Observer.DeadLetters);
        Assert.Equal(DeadLetterReason.FinalFailure, deadLetter.Reason);
        Assert.StartsWith($"endpoint {endpoint} is denied: 127.0.0.1 is in the loopback network 127.0.0.0/8", deadLetter.LastReason, StringComparison.Ordinal);
        Assert.Equal(0, server.Connections);
    }

    [Theory]
    [InlineData("0.0.0.0", "127.0.0.0/8")]
    [InlineData("[::]", "::1/128")]
    [InlineData("0.0.0.0", "::1/128")]
    [InlineData("[::]", "127.0.0.0/8")]
    public async Task RunRequestAsync_UnspecifiedAddressStandsForThisHost_IsDeniedWhereLoopbackIs(string host, string network)
    {
        await using var server = await FaultServer.StartAsync(IPAddress.IPv6Any);
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddHttpTargets(o => o.DeniedNetworks.Add(network)));
        var endpoint = $"http://{host}:{server.Port}{FaultServer.Ok}/unspecified";
        var target = await h.CreateTargetAsync("unspecified", interrupt: true, endpoint: endpoint);
        await h.SetAsync(Condition.RequestMethod(Method), target);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("{}")).AsTask());

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal($"target unspecified failed: endpoint {endpoint} is denied: {host.Trim('[', ']')} stands for this host, and its loopback address is in the denied network {network}", error.Message);
        Assert.Equal(0, server.Connections);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("::ffff:0.0.0.0")]
    public void ThrowIfAddressDenied_NameResolvingToTheUnspecifiedAddress_IsDeniedWhereLoopbackIs(string resolved)
    {
        var options = new HttpTargetOptions();
        options.DeniedNetworks.Add("127.0.0.0/8");
        var policy = new EndpointPolicy(options);
        var endpoint = new Uri("https://rebind.example.com/hook");

        var error = Assert.Throws<ActionExecException>(() => policy.ThrowIfAddressDenied("rebind.example.com", isLiteral: false, [IPAddress.Parse(resolved)], endpoint));

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
        Assert.Equal($"endpoint https://rebind.example.com/hook is denied: rebind.example.com resolves to {IPAddress.Parse(resolved)}, which stands for this host, and its loopback address is in the denied network 127.0.0.0/8", error.Message);
    }

    [Fact]
    public void ThrowIfAddressDenied_UnspecifiedAddressWhileItAndLoopbackAreAllowed_IsNotDenied()
    {
        var options = new HttpTargetOptions().AllowLoopback();
        options.AllowedNetworks.Add("0.0.0.0/32");
        options.AllowedNetworks.Add("::/128");
        options.DeniedNetworks.Add("10.0.0.0/8");
        var policy = new EndpointPolicy(options);

        policy.ThrowIfAddressDenied("0.0.0.0", isLiteral: true, [IPAddress.Any, IPAddress.IPv6Any], new Uri("http://0.0.0.0:8080/hook"));
    }

    [Fact]
    public async Task RunRequestAsync_DeniedHostName_FailsWithoutResolvingOrConnecting()
    {
        await using var server = await FaultServer.StartAsync();
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddHttpTargets(o => o.DeniedHosts.Add("LOCALHOST.")));
        var endpoint = $"http://localhost:{server.Port}{FaultServer.Ok}/by-host";
        var target = await h.CreateTargetAsync("by-host", interrupt: true, endpoint: endpoint);
        await h.SetAsync(Condition.RequestMethod(Method), target);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("{}")).AsTask());

        Assert.Equal($"target by-host failed: endpoint {endpoint} is denied: the host localhost is a denied host", error.Message);
        Assert.Equal(0, server.Connections);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunRequestAsync_AllowedServerRedirectsToADeniedAddress_TheRedirectIsNotFollowedAndTheFlowFailsWithThe302(bool interrupt)
    {
        await using var server = await FaultServer.StartAsync(IPAddress.Loopback, Denied);
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddHttpTargets(o => o.DeniedNetworks.Add("127.0.0.2/32")));
        var redirecting = await h.CreateTargetAsync("redirecting", TargetType.Call, interrupt, endpoint: server.Url(FaultServer.Redirect + "/policy"));
        var direct = await h.CreateTargetAsync("direct", TargetType.Call, interrupt: true, endpoint: server.Landing!.Url(FaultServer.LandingRoute + "/direct"));
        await h.SetAsync(Condition.RequestMethod(Method), redirecting);
        await h.SetAsync(Condition.RequestMethod(Method + "Direct"), direct);
        var request = JsonNode.Parse("""{"n":1}""");

        var run = h.Dispatcher.RunRequestAsync(h.Context, Method, request).AsTask();
        if (interrupt)
        {
            var error = await Assert.ThrowsAsync<ActionExecException>(() => run);
            Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
            Assert.Equal("target redirecting failed: it answered 302 (redirects are not followed)", error.Message);
        }
        else
        {
            Assert.Same(request, await run);
        }

        var denied = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, Method + "Direct", request).AsTask());
        Assert.Equal($"target direct failed: endpoint {server.Landing.Url(FaultServer.LandingRoute + "/direct")} is denied: 127.0.0.2 is in the denied network 127.0.0.2/32", denied.Message);
        Assert.Single(server.RequestsTo(FaultServer.Redirect + "/policy"));
        Assert.Equal(0, server.Landing.Connections);
    }

    [Fact]
    public async Task DeliveryWorker_DeniedEndpoint_IsDeadLetteredAfterOneAttemptWithoutConnecting()
    {
        await using var server = await FaultServer.StartAsync();
        await using var h = new LiveDeliveryHarness(_ => { }, b => b.AddHttpTargets(o => o.DeniedNetworks.Add("127.0.0.0/8")));
        var endpoint = $"http://localhost:{server.Port}{FaultServer.Ok}/background";
        var target = await h.CreateTargetAsync("background", endpoint);
        await h.SetExecutionAsync(Condition.Event("order.placed"), target);
        await h.PublishAsync("order.placed", "agg-1");

        await h.StartAsync();
        await h.WaitForFinishedAsync(1);

        var deadLetter = Assert.Single(h.Observer.DeadLetters);
        Assert.Equal(DeadLetterReason.FinalFailure, deadLetter.Reason);
        Assert.Equal(1, deadLetter.Attempts);
        Assert.Equal($"endpoint {endpoint} is denied: localhost resolves to 127.0.0.1, in the denied network 127.0.0.0/8", deadLetter.LastReason);
        Assert.Equal(0, h.Statistics.Retries);
        Assert.Equal(0, server.Connections);
    }
}
