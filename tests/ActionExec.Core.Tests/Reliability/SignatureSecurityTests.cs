using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Management;
using ActionExec.Signatures;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Reliability;

/// <summary>
/// Signatures of real requests sent by a flow (spec §8), checked by the receiver-side verifier: any change to the body, the
/// timestamp or the id, a timestamp outside the tolerance and a wrong key are all refused; key rotation keeps both keys valid
/// only while the receiver holds both.
/// </summary>
public sealed class SignatureSecurityTests
{
    private const string Method = "/reliability.v1.Signed/Run";
    private const string Mismatch = "No v1 signature in the {0} header matches the configured signing key; configure the receiver with the target's current signing key, and verify the body exactly as received.";

    public static TheoryData<SignatureScheme, string> Tampering()
    {
        var cases = new TheoryData<SignatureScheme, string>();
        foreach (var scheme in new[] { SignatureScheme.Zitadel, SignatureScheme.StandardWebhooks })
        {
            foreach (var tamper in new[] { "body", "timestamp", "id", "stale", "future", "wrong-key" })
            {
                if (!string.Equals(tamper, "id", StringComparison.Ordinal) || scheme == SignatureScheme.StandardWebhooks)
                {
                    cases.Add(scheme, tamper);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Verify_SignedFlowRequestTampered_IsRefusedSayingWhy(SignatureScheme scheme, string tamper)
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var (target, received) = await SendSignedAsync(time, scheme);
        var header = scheme == SignatureScheme.Zitadel ? WebhookSigner.ZitadelSignatureHeader : WebhookSigner.WebhookSignatureHeader;
        var seconds = time.GetUtcNow().ToUnixTimeSeconds();
        var headers = received.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = received.Body;
        var key = target.SigningKey;
        var clock = new FakeTimeProvider(time.GetUtcNow());
        string expected;
        switch (tamper)
        {
            case "body":
                body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("original", "tampered", StringComparison.Ordinal));
                expected = string.Format(CultureInfo.InvariantCulture, Mismatch, header);
                break;
            case "timestamp":
                var earlier = (seconds - 1).ToString(CultureInfo.InvariantCulture);
                if (scheme == SignatureScheme.Zitadel)
                {
                    headers[header] = headers[header].Replace($"t={seconds}", $"t={earlier}", StringComparison.Ordinal);
                }
                else
                {
                    headers[WebhookSigner.WebhookTimestampHeader] = earlier;
                }

                expected = string.Format(CultureInfo.InvariantCulture, Mismatch, header);
                break;
            case "id":
                headers[WebhookSigner.WebhookIdHeader] = "another-delivery";
                expected = string.Format(CultureInfo.InvariantCulture, Mismatch, header);
                break;
            case "stale":
                clock.Advance(TimeSpan.FromSeconds(301));
                expected = $"The signature timestamp {seconds} is 301 seconds old, beyond the tolerance of 300 seconds; the request is stale (possibly replayed), or the sender's clock is behind.";
                break;
            case "future":
                clock = new FakeTimeProvider(time.GetUtcNow().AddSeconds(-301));
                expected = $"The signature timestamp {seconds} is 301 seconds in the future, beyond the tolerance of 300 seconds; the sender's clock is ahead, or the timestamp was altered.";
                break;
            default:
                key = SigningKeys.Generate(scheme);
                expected = string.Format(CultureInfo.InvariantCulture, Mismatch, header);
                break;
        }

        var verifier = new WebhookSignatureVerifier(new WebhookVerificationOptions { TimeProvider = clock });
        var untouched = new WebhookSignatureVerifier(new WebhookVerificationOptions { TimeProvider = time });

        Assert.True(untouched.TryVerify(scheme, received.Header, received.Body, [target.SigningKey], out var none), none);
        Assert.False(verifier.TryVerify(scheme, headers, body, [key], out var failure));
        Assert.Equal(expected, failure);
    }

    [Theory]
    [InlineData(SignatureScheme.Zitadel, 300)]
    [InlineData(SignatureScheme.Zitadel, -300)]
    [InlineData(SignatureScheme.StandardWebhooks, 300)]
    [InlineData(SignatureScheme.StandardWebhooks, -300)]
    public async Task Verify_TimestampAtTheEdgeOfTheTolerance_IsAccepted(SignatureScheme scheme, int offsetSeconds)
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var (target, received) = await SendSignedAsync(time, scheme);
        var verifier = new WebhookSignatureVerifier(new WebhookVerificationOptions { TimeProvider = new FakeTimeProvider(time.GetUtcNow().AddSeconds(offsetSeconds)) });

        Assert.True(verifier.TryVerify(scheme, received.Header, received.Body, [target.SigningKey], out var failure), failure);
    }

    [Theory]
    [InlineData(SignatureScheme.Zitadel)]
    [InlineData(SignatureScheme.StandardWebhooks)]
    public async Task RotateSigningKeyAsync_RequestsBeforeAndAfter_VerifyWithBothKeysAndOnlyTheNewOneAfterTheOldIsDropped(SignatureScheme scheme)
    {
        var time = new FakeTimeProvider(TestTime.Start);
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var target = await h.CreateTargetAsync("signed", scheme: scheme);
        await h.SetAsync(Condition.RequestMethod(Method), target);
        h.Receiver.Answer("/signed", ReceiverAnswer.Ok);

        await h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("""{"n":1}"""));
        var rotated = await h.Management.RotateSigningKeyAsync(h.Admin, target.Target.Id);
        await h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("""{"n":2}"""));

        var (before, after) = (h.Receiver.Requests[0], h.Receiver.Requests[1]);
        var verifier = new WebhookSignatureVerifier(new WebhookVerificationOptions { TimeProvider = time });
        var header = scheme == SignatureScheme.Zitadel ? WebhookSigner.ZitadelSignatureHeader : WebhookSigner.WebhookSignatureHeader;
        var mismatch = string.Format(CultureInfo.InvariantCulture, Mismatch, header);
        Assert.NotEqual(target.SigningKey, rotated.SigningKey);
        Assert.True(verifier.TryVerify(scheme, before.Header, before.Body, [target.SigningKey, rotated.SigningKey], out var failure), failure);
        Assert.True(verifier.TryVerify(scheme, after.Header, after.Body, [target.SigningKey, rotated.SigningKey], out failure), failure);
        Assert.True(verifier.TryVerify(scheme, after.Header, after.Body, [rotated.SigningKey], out failure), failure);
        Assert.False(verifier.TryVerify(scheme, before.Header, before.Body, [rotated.SigningKey], out failure));
        Assert.Equal(mismatch, failure);
        Assert.False(verifier.TryVerify(scheme, after.Header, after.Body, [target.SigningKey], out failure));
        Assert.Equal(mismatch, failure);
    }

    [Fact]
    public async Task RotateSigningKeyAsync_DeliveryQueuedBeforeTheRotation_IsSignedWithTheNewKeyWhenItIsAttempted()
    {
        await using var server = await FaultServer.StartAsync();
        await using var h = new LiveDeliveryHarness(_ => { });
        var created = await h.Management.CreateTargetAsync(h.Caller, new TargetSpec
        {
            Name = "audit",
            Endpoint = server.Url(FaultServer.Ok + "/rotation"),
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(5),
        });
        await h.SetExecutionAsync(Condition.Event("order.placed"), created.Target.Id);
        await h.PublishAsync("order.placed", "agg-1");

        var rotated = await h.Management.RotateSigningKeyAsync(h.Caller, created.Target.Id);
        await h.StartAsync();
        await h.WaitForFinishedAsync(1);

        var received = Assert.Single(server.RequestsTo(FaultServer.Ok + "/rotation"));
        var verifier = new WebhookSignatureVerifier(new WebhookVerificationOptions());
        Assert.True(verifier.TryVerify(SignatureScheme.Zitadel, received.Header, received.Body, [rotated.SigningKey], out var failure), failure);
        Assert.False(verifier.TryVerify(SignatureScheme.Zitadel, received.Header, received.Body, [created.SigningKey], out _));
    }

    /// <summary>Runs a request flow to one signed webhook and returns it with the request as the receiver got it.</summary>
    private static async Task<(CreatedTarget Target, ReceivedRequest Received)> SendSignedAsync(TimeProvider time, SignatureScheme scheme)
    {
        await using var h = await HttpActionsHarness.StartAsync(services: s => s.AddSingleton(time));
        var target = await h.CreateTargetAsync("signed", scheme: scheme);
        await h.SetAsync(Condition.RequestMethod(Method), target);
        h.Receiver.Answer("/signed", ReceiverAnswer.Ok);

        await h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("""{"username":"original"}"""));

        return (target, Assert.Single(h.Receiver.Requests));
    }
}
