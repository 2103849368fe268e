using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Http;
using ActionExec.Management;
using ActionExec.Signatures;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Http;

public sealed class HttpTargetInvokerTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"fullMethod":"/a.v1.S/M","request":{"name":"ünïcode"}}""");

    [Fact]
    public async Task InvokeAsync_PostsTheExactPayloadAsJsonWithUserAgentAndDeliveryId()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        var response = await InvokeAsync(h, target, Payload, "delivery-7");

        Assert.Equal(200, response.StatusCode);
        var received = Assert.Single(h.Receiver.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal(Payload, received.Body);
        Assert.Equal("application/json; charset=utf-8", received.Header("Content-Type"));
        Assert.Equal(Payload.Length.ToString(CultureInfo.InvariantCulture), received.Header("Content-Length"));
        var version = typeof(HttpTargetInvoker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal("ActionExec/" + version, received.Header("User-Agent"));
        Assert.Equal("delivery-7", received.Header("webhook-id"));
    }

    [Fact]
    public async Task InvokeAsync_ZitadelTarget_SignatureVerifiesAndEqualsAnIndependentHmac()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var target = await h.CreateTargetAsync("hook", scheme: SignatureScheme.Zitadel);
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        await InvokeAsync(h, target, Payload, "delivery-1");

        var received = Assert.Single(h.Receiver.Requests);
        AssertSigned(received, target, time);
        Assert.Null(received.Header("webhook-signature"));
    }

    [Fact]
    public async Task InvokeAsync_StandardWebhooksTarget_SignatureVerifiesAndEqualsAnIndependentHmac()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var target = await h.CreateTargetAsync("hook", scheme: SignatureScheme.StandardWebhooks);
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        await InvokeAsync(h, target, Payload, "delivery-2");

        var received = Assert.Single(h.Receiver.Requests);
        AssertSigned(received, target, time);
        Assert.Equal("delivery-2", received.Header("webhook-id"));
        Assert.Null(received.Header("ZITADEL-Signature"));
    }

    [Fact]
    public async Task InvokeAsync_Answer_ReturnsStatusBodyAndHeadersWithoutHopByHopOnes()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Json("""{"ok":true}""", 201) with
        {
            Headers =
            [
                new("Content-Type", "application/json"),
                new("X-Multi", "one"),
                new("X-Multi", "two"),
                new("Keep-Alive", "timeout=5"),
                new("Proxy-Authenticate", "Basic"),
                new("Upgrade", "h2c"),
                new("Trailer", "X-Checksum"),
                new("Connection", "X-Hop"),
                new("X-Hop", "dropped"),
            ],
        });

        var response = await InvokeAsync(h, target, Payload);

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("""{"ok":true}"""u8.ToArray(), response.Body.ToArray());
        Assert.Equal(["one", "two"], response.Headers.Where(x => string.Equals(x.Key, "X-Multi", StringComparison.Ordinal)).Select(x => x.Value));
        Assert.Contains(new KeyValuePair<string, string>("Content-Type", "application/json"), response.Headers);
        Assert.Contains(new KeyValuePair<string, string>("Content-Length", "11"), response.Headers);
        string[] hopByHop = ["Connection", "Keep-Alive", "Proxy-Authenticate", "Upgrade", "Trailer", "Transfer-Encoding", "X-Hop"];
        Assert.DoesNotContain(response.Headers, x => hopByHop.Contains(x.Key, StringComparer.OrdinalIgnoreCase));
        Assert.Null(response.RetryAfter);
    }

    [Fact]
    public async Task InvokeAsync_ChunkedAnswer_DropsTransferEncoding()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Json("""{"ok":true}""") with { Chunked = true });

        var response = await InvokeAsync(h, target, Payload);

        Assert.Equal("""{"ok":true}"""u8.ToArray(), response.Body.ToArray());
        Assert.DoesNotContain(response.Headers, x => x.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("120", 120)]
    [InlineData("0", 0)]
    [InlineData("date+90", 90)]
    [InlineData("date-30", 0)]
    public async Task InvokeAsync_RetryAfter_IsADelayRelativeToTheClock(string header, int expectedSeconds)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var target = await h.CreateTargetAsync("hook");
        var value = header.StartsWith("date", StringComparison.Ordinal)
            ? time.GetUtcNow().AddSeconds(int.Parse(header[4..], CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture)
            : header;
        h.Receiver.Answer("/hook", ReceiverAnswer.Text(503, "busy") with { Headers = [new("Retry-After", value)] });

        var response = await InvokeAsync(h, target, Payload);

        Assert.Equal(503, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), response.RetryAfter);
    }

    [Fact]
    public async Task InvokeAsync_Redirect_IsReturnedAsIsAndNotFollowed()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Redirect(h.Receiver.Url("/elsewhere"), 307));
        h.Receiver.Answer("/elsewhere", ReceiverAnswer.Ok);

        var response = await InvokeAsync(h, target, Payload);

        Assert.Equal(307, response.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("Location", h.Receiver.Url("/elsewhere")), response.Headers);
        Assert.Empty(h.Receiver.RequestsTo("/elsewhere"));
    }

    [Theory]
    [InlineData(false, 16, null)]
    [InlineData(true, 16, null)]
    [InlineData(false, 17, "its answer of 17 bytes exceeds the limit of 16 bytes")]
    [InlineData(true, 17, "its answer exceeds the limit of 16 bytes")]
    public async Task InvokeAsync_BodyAroundTheLimit_ReadsItOrReturnsResponseTooLarge(bool chunked, int length, string? error)
    {
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.Configure<DispatchOptions>(o => o.MaxResponseBytes = 16));
        var target = await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", new ReceiverAnswer { Body = new byte[length], Chunked = chunked });

        if (error is null)
        {
            var response = await InvokeAsync(h, target, Payload);
            Assert.Equal(length, response.Body.Length);
            return;
        }

        var failed = await InvokeAsync(h, target, Payload);
        Assert.Equal(TargetFailureKind.ResponseTooLarge, failed.Failure);
        Assert.Equal(error, failed.FailureReason);
        Assert.False(failed.IsSuccess);
    }

    [Theory]
    [InlineData(false, "its answer of 2097152 bytes exceeds the limit of 1048576 bytes")]
    [InlineData(true, "its answer exceeds the limit of 1048576 bytes")]
    public async Task CallAsync_TwoMebibyteBody_FailsAsResponseTooLargeAndIsNotRetryable(bool chunked, string reason)
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("big", TargetType.Call);
        h.Receiver.Answer("/big", new ReceiverAnswer { Body = new byte[2 * 1024 * 1024], Chunked = chunked });

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.ResponseTooLarge, attempt.Failure);
        Assert.Equal(reason, attempt.Reason);
        Assert.False(attempt.IsRetryable);
    }

    [Fact]
    public async Task CallAsync_TargetStallsWhileSendingTheBody_TimesOut()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("slow", TargetType.Call, timeout: TimeSpan.FromMilliseconds(300));
        h.Receiver.Answer("/slow", ReceiverAnswer.Json("""{"padding":"0123456789"}""") with { BodyDelay = TimeSpan.FromSeconds(30) });

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.Timeout, attempt.Failure);
        Assert.Equal("no answer within its timeout of 0.3s", attempt.Reason);
    }

    [Fact]
    public async Task CallAsync_ClosedPort_FailsAsTransportErrorAndIsRetryable()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("closed", endpoint: HttpActionsHarness.ClosedPortUrl());

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.Transport, attempt.Failure);
        Assert.StartsWith("no answer: HttpRequestException: ", attempt.Reason, StringComparison.Ordinal);
        Assert.True(attempt.IsRetryable);
    }

    [Fact]
    public async Task InvokeAsync_ActivityCurrent_SendsTraceparentOfTheTargetSpan()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "ActionExec" or "System.Net.Http",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (stopped)
                {
                    stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("hook", TargetType.Webhook);
        await h.SetAsync(Condition.RequestMethod("/a.v1.S/M"), target);
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);
        using var parent = new Activity("host.request").SetIdFormat(ActivityIdFormat.W3C).Start();

        await h.Dispatcher.RunRequestAsync(h.Context, "/a.v1.S/M", System.Text.Json.Nodes.JsonNode.Parse("{}"));

        parent.Stop();
        Activity[] trace;
        lock (stopped)
        {
            trace = [.. stopped.Where(a => a.TraceId == parent.TraceId)];
        }

        // HttpClient's own span is the child of the target's span, and it is what the receiver sees as its parent.
        var targetSpan = Assert.Single(trace, a => string.Equals(a.OperationName, "actionexec.target", StringComparison.Ordinal));
        var client = Assert.Single(trace, a => string.Equals(a.Source.Name, "System.Net.Http", StringComparison.Ordinal));
        Assert.Equal(targetSpan.SpanId, client.ParentSpanId);
        Assert.Equal($"00-{parent.TraceId}-{client.SpanId}-01", Assert.Single(h.Receiver.Requests).Header("traceparent"));
    }

    [Fact]
    public async Task CallAsync_LocalhostInADeniedNetwork_IsDeniedWithoutConnectingAndNotRetryable()
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddHttpTargets(o => o.DeniedNetworks.Add("127.0.0.0/8")));
        var target = await h.CreateTargetAsync("local", endpoint: $"http://localhost:{h.Receiver.Port}/hook?token=secret");

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.Denied, attempt.Failure);
        Assert.Equal($"endpoint http://localhost:{h.Receiver.Port}/hook is denied: localhost resolves to 127.0.0.1, in the denied network 127.0.0.0/8", attempt.Reason);
        Assert.False(attempt.IsRetryable);
        Assert.Equal(0, h.Receiver.Connections);
        Assert.Empty(h.Receiver.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.0/8", "127.0.0.1 is in the denied network 127.0.0.0/8")]
    [InlineData("[::ffff:127.0.0.1]", "127.0.0.0/8", "::ffff:127.0.0.1 is in the denied network 127.0.0.0/8")]
    [InlineData("127.0.0.1", "::ffff:127.0.0.0/104", "127.0.0.1 is in the denied network ::ffff:127.0.0.0/104")]
    public async Task CallAsync_AddressLiteralInADeniedNetwork_IsDenied(string host, string network, string detail)
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddHttpTargets(o => o.DeniedNetworks.Add(network)));
        var target = await h.CreateTargetAsync("local", endpoint: $"http://{host}:{h.Receiver.Port}/hook");

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.Denied, attempt.Failure);
        Assert.EndsWith($"/hook is denied: {detail}", attempt.Reason, StringComparison.Ordinal);
        Assert.Equal(0, h.Receiver.Connections);
    }

    [Theory]
    [InlineData("internal.test", "internal.test", "the host internal.test is a denied host")]
    [InlineData("INTERNAL.test.", "internal.test", "the host internal.test is a denied host")]
    [InlineData("*.internal.test", "api.internal.test", "the host api.internal.test matches the denied host *.internal.test")]
    public async Task CallAsync_DeniedHost_IsDeniedBeforeItIsResolved(string entry, string host, string detail)
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddHttpTargets(o => o.DeniedHosts.Add(entry)));
        var target = await h.CreateTargetAsync("internal", endpoint: $"http://{host}/hook");

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.Denied, attempt.Failure);
        Assert.Equal($"endpoint http://{host}/hook is denied: {detail}", attempt.Reason);
    }

    [Fact]
    public async Task CallAsync_WildcardHostEntry_DoesNotDenyTheParentDomain()
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddHttpTargets(o => o.DeniedHosts.Add("*.localhost")));
        var target = await h.CreateTargetAsync("local", endpoint: $"http://localhost:{h.Receiver.Port}/hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        var attempt = await h.CallAsync(target);

        Assert.True(attempt.Succeeded, attempt.Reason);
    }

    [Fact]
    public async Task CallAsync_AddressOutsideTheDeniedNetworks_IsCalled()
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddHttpTargets(o =>
        {
            o.DeniedNetworks.Add("10.0.0.0/8");
            o.DeniedNetworks.Add("169.254.0.0/16");
            o.DeniedHosts.Add("metadata.internal");
        }));
        var target = await h.CreateTargetAsync("hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        var attempt = await h.CallAsync(target);

        Assert.True(attempt.Succeeded, attempt.Reason);
        Assert.Single(h.Receiver.Requests);
    }

    [Fact]
    public async Task InvokeAsync_HostConfiguresTheNamedClient_ItsHandlerRunsAndThePolicyStays()
    {
        await using var h = await HttpActionsHarness.StartAsync(
            b => b.AddHttpTargets(o => o.DeniedHosts.Add("internal.test")),
            s => s.AddHttpClient(HttpTargetOptions.DefaultClientName).AddHttpMessageHandler(() => new HeaderHandler("X-Host", "configured")));
        var target = await h.CreateTargetAsync("hook");
        var denied = await h.CreateTargetAsync("denied", endpoint: "http://internal.test/hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        await InvokeAsync(h, target, Payload);
        var attempt = await h.CallAsync(denied);

        Assert.Equal("configured", Assert.Single(h.Receiver.Requests).Header("X-Host"));
        Assert.Equal(TargetFailureKind.Denied, attempt.Failure);
    }

    [Fact]
    public async Task InvokeAsync_HostSetsAPrimaryHandlerForEveryClient_TheTargetsKeepTheirs()
    {
        await using var h = await HttpActionsHarness.StartAsync(b =>
        {
            b.AddHttpTargets(o => o.DeniedHosts.Add("internal.test"));
            b.Services.ConfigureHttpClientDefaults(d => d.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true }));
        });
        var target = await h.CreateTargetAsync("hook");
        var denied = await h.CreateTargetAsync("denied", endpoint: "http://internal.test/hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Redirect(h.Receiver.Url("/elsewhere")));
        h.Receiver.Answer("/elsewhere", ReceiverAnswer.Ok);

        var response = await InvokeAsync(h, target, Payload);
        var attempt = await h.CallAsync(denied);

        Assert.Equal(302, response.StatusCode);
        Assert.Empty(h.Receiver.RequestsTo("/elsewhere"));
        Assert.Equal(TargetFailureKind.Denied, attempt.Failure);
    }

    [Fact]
    public async Task InvokeAsync_OtherClientName_UsesThatClientWithThePolicy()
    {
        await using var h = await HttpActionsHarness.StartAsync(
            b => b.AddHttpTargets(o =>
            {
                o.ClientName = "targets";
                o.DeniedHosts.Add("internal.test");
            }),
            s => s.AddHttpClient("targets").AddHttpMessageHandler(() => new HeaderHandler("X-Client", "targets")));
        var target = await h.CreateTargetAsync("hook");
        var denied = await h.CreateTargetAsync("denied", endpoint: "http://internal.test/hook");
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        await InvokeAsync(h, target, Payload);
        var attempt = await h.CallAsync(denied);

        Assert.Equal("targets", Assert.Single(h.Receiver.Requests).Header("X-Client"));
        Assert.Equal(TargetFailureKind.Denied, attempt.Failure);
    }

    [Fact]
    public async Task InvokeAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("slow");
        h.Receiver.Answer("/slow", ReceiverAnswer.Ok with { Delay = TimeSpan.FromSeconds(30) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var invoker = h.Services.GetRequiredService<HttpTargetInvoker>();
        var request = new TargetRequest(await h.ResolveAsync(target), Payload, "delivery-1", 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invoker.InvokeAsync(request, cancel.Token).AsTask());
    }

    internal static void AssertSigned(ReceivedRequest received, CreatedTarget target, TimeProvider time)
    {
        var scheme = target.Target.SignatureScheme;
        var verifier = new WebhookSignatureVerifier(new WebhookVerificationOptions { TimeProvider = time });
        verifier.Verify(scheme, received.Header, received.Body, [target.SigningKey]);

        var seconds = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (scheme == SignatureScheme.Zitadel)
        {
            var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(target.SigningKey), (byte[])[.. Encoding.UTF8.GetBytes(seconds + "."), .. received.Body]);
            Assert.Equal($"t={seconds},v1={Convert.ToHexStringLower(mac)}", received.Header("ZITADEL-Signature"));
        }
        else
        {
            var id = received.Header("webhook-id")!;
            var secret = Convert.FromBase64String(target.SigningKey["whsec_".Length..]);
            var mac = HMACSHA256.HashData(secret, (byte[])[.. Encoding.UTF8.GetBytes($"{id}.{seconds}."), .. received.Body]);
            Assert.Equal(seconds, received.Header("webhook-timestamp"));
            Assert.Equal("v1," + Convert.ToBase64String(mac), received.Header("webhook-signature"));
        }
    }

    private static async Task<TargetResponse> InvokeAsync(HttpActionsHarness h, CreatedTarget target, byte[] payload, string deliveryId = "delivery-1")
    {
        var invoker = h.Services.GetRequiredService<HttpTargetInvoker>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await invoker.InvokeAsync(new TargetRequest(await h.ResolveAsync(target), payload, deliveryId, 1), timeout.Token);
    }

    private sealed class HeaderHandler(string name, string value) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add(name, value);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
