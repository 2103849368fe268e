using System.Text;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Payloads;
using ActionExec.Targets;
using ActionExec.Tests.Http;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Tests.Payloads;

/// <summary>JWT and JWE payloads sent over loopback HTTP by the real dispatcher, as a receiver sees them.</summary>
public sealed class PayloadSendingTests
{
    private const string Method = "/a.v1.S/M";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryPayloadSigningKeyProvider _hostKeys = new(TestKeys.NewRsa("host-1"));

    [Theory]
    [InlineData(SignatureScheme.Zitadel)]
    [InlineData(SignatureScheme.StandardWebhooks)]
    public async Task RunRequestAsync_JwtWebhook_SendsASignedTokenAsApplicationJwtWithTheHmacOverTheToken(SignatureScheme scheme)
    {
        await using var h = await StartAsync();
        var target = await CreateAsync(h, "hook", PayloadType.Jwt, TargetType.Webhook, scheme);
        await h.SetAsync(Condition.RequestMethod(Method), target);
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        await h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("""{"name":"n"}"""));

        var received = Assert.Single(h.Receiver.Requests);
        Assert.Equal(PayloadEncoder.TokenContentType, received.Header("Content-Type"));
        HttpTargetInvokerTests.AssertSigned(received, target, _time);
        var token = IdentityModelReceiver.Text(received.Body);
        var result = await IdentityModelReceiver.ValidateAsync(token, PayloadEncoderTests.Jwks(_hostKeys), target.Target.Endpoint, now: _time.GetUtcNow());
        Assert.True(result.IsValid, result.Exception?.ToString());
        var claims = IdentityModelReceiver.Claims(token);
        Assert.Equal(Method, claims.GetProperty("fullMethod").GetString());
        Assert.Equal("n", claims.GetProperty("request").GetProperty("name").GetString());
    }

    [Fact]
    public async Task RunRequestAsync_JwtCallTarget_TheJsonAnswerReplacesTheRequest()
    {
        await using var h = await StartAsync();
        var target = await CreateAsync(h, "call", PayloadType.Jwt, TargetType.Call);
        await h.SetAsync(Condition.RequestMethod(Method), target);
        h.Receiver.Answer("/call", ReceiverAnswer.Json("""{"name":"changed"}"""));

        var request = await h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("""{"name":"n"}"""));

        Assert.Equal("changed", request!["name"]!.GetValue<string>());
        Assert.Equal(PayloadEncoder.TokenContentType, Assert.Single(h.Receiver.Requests).Header("Content-Type"));
    }

    [Fact]
    public async Task CallAsync_JweWithoutAnActivePublicKey_FailsDeniedAndSendsNothing()
    {
        await using var h = await StartAsync();
        var target = await CreateAsync(h, "secret", PayloadType.Jwe, TargetType.Webhook);
        h.Receiver.Answer("/secret", ReceiverAnswer.Ok);

        var attempt = await h.CallAsync(target, """{"password":"p"}""");

        Assert.Equal(TargetFailureKind.Denied, attempt.Failure);
        Assert.False(attempt.IsRetryable);
        Assert.Contains("no active public key", attempt.Reason, StringComparison.Ordinal);
        Assert.Empty(h.Receiver.Requests);
    }

    [Fact]
    public async Task CallAsync_JwtTargetOnAHostWithoutSigningKeys_FailsDeniedAndSendsNothing()
    {
        await using var withKeys = await StartAsync();
        var target = await CreateAsync(withKeys, "hook", PayloadType.Jwt, TargetType.Webhook);
        var resolved = await withKeys.ResolveAsync(target);
        await using var h = await HttpActionsHarness.StartAsync();
        h.Receiver.Answer("/hook", ReceiverAnswer.Ok);

        // The same target, pointed at this host's receiver, reached through a caller that has no signing keys.
        var moved = new ActionExec.Engine.ResolvedTarget(resolved.Definition with { Endpoint = h.Receiver.Url("/hook") }, new Uri(h.Receiver.Url("/hook")), "");
        var attempt = await h.TargetCaller.CallAsync(moved, Encoding.UTF8.GetBytes("{}"), "delivery-1", 1, CancellationToken.None);

        Assert.Equal(TargetFailureKind.Denied, attempt.Failure);
        Assert.Contains("register them with AddPayloadSigningKeys", attempt.Reason, StringComparison.Ordinal);
        Assert.Empty(h.Receiver.Requests);
    }

    [Theory]
    [InlineData(PayloadType.Jwt)]
    [InlineData(PayloadType.Jwe)]
    public async Task CreateTargetAsync_TokenPayloadWithoutSigningKeys_IsFailedPreconditionNamingTheFix(PayloadType type)
    {
        await using var h = await HttpActionsHarness.StartAsync();

        var error = await Assert.ThrowsAsync<ActionExecException>(() => CreateAsync(h, "hook", type, TargetType.Webhook));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Contains("AddPayloadSigningKeys", error.Message, StringComparison.Ordinal);
        Assert.Equal("payloadType", Assert.Single(error.Violations).Field);
        Assert.Empty(await h.Management.ListTargetsAsync(h.Admin));
    }

    [Fact]
    public async Task UpdateTargetAsync_ToJwtWithoutSigningKeys_IsFailedPreconditionAndChangesNothing()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var target = await h.CreateTargetAsync("hook");

        var error = await Assert.ThrowsAsync<ActionExecException>(async () =>
            await h.Management.UpdateTargetAsync(h.Admin, target.Target.Id, new TargetUpdate { PayloadType = PayloadType.Jwt }));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal(PayloadType.Json, (await h.Management.GetTargetAsync(h.Admin, target.Target.Id)).PayloadType);
    }

    [Fact]
    public async Task UpdateTargetAsync_ToJweWithSigningKeys_IsAccepted()
    {
        await using var h = await StartAsync();
        var target = await h.CreateTargetAsync("hook");

        var updated = await h.Management.UpdateTargetAsync(h.Admin, target.Target.Id, new TargetUpdate { PayloadType = PayloadType.Jwe });

        Assert.Equal(PayloadType.Jwe, updated.PayloadType);
    }

    [Theory]
    [InlineData("rsa", SignatureScheme.Zitadel)]
    [InlineData("ec", SignatureScheme.StandardWebhooks)]
    public async Task RunRequestAsync_JweWebhook_SendsTheJwtEncryptedToTheActiveKeyThatTheReceiverDecrypts(string kind, SignatureScheme scheme)
    {
        await using var h = await StartAsync();
        var target = await CreateAsync(h, "secret", PayloadType.Jwe, TargetType.Webhook, scheme);
        var receiverKey = string.Equals(kind, "rsa", StringComparison.Ordinal) ? (SecurityKey)TestKeys.NewRsa("unused") : TestKeys.NewEc("unused");
        var added = await AddActiveKeyAsync(h, target, receiverKey);
        await h.SetAsync(Condition.RequestMethod(Method), target);
        h.Receiver.Answer("/secret", ReceiverAnswer.Ok);

        await h.Dispatcher.RunRequestAsync(h.Context, Method, JsonNode.Parse("""{"password":"p"}"""));

        var received = Assert.Single(h.Receiver.Requests);
        Assert.Equal(PayloadEncoder.TokenContentType, received.Header("Content-Type"));
        HttpTargetInvokerTests.AssertSigned(received, target, _time);
        var token = IdentityModelReceiver.Text(received.Body);
        Assert.DoesNotContain("password", token, StringComparison.Ordinal);
        Assert.Equal(added.KeyId, IdentityModelReceiver.Header(token).GetProperty("kid").GetString());
        var result = await IdentityModelReceiver.ValidateAsync(token, PayloadEncoderTests.Jwks(_hostKeys), target.Target.Endpoint, [WithKid(receiverKey, added.KeyId)], _time.GetUtcNow());
        Assert.True(result.IsValid, result.Exception?.ToString());
        var inner = ((Microsoft.IdentityModel.JsonWebTokens.JsonWebToken)result.SecurityToken).InnerToken;
        Assert.Equal("p", IdentityModelReceiver.Claims(inner.EncodedToken).GetProperty("request").GetProperty("password").GetString());
    }

    [Fact]
    public async Task CallAsync_JweKeyAddedButNotActivated_FailsDeniedAndSendsNothing()
    {
        await using var h = await StartAsync();
        var target = await CreateAsync(h, "secret", PayloadType.Jwe, TargetType.Webhook);
        await h.Management.AddPublicKeyAsync(h.Admin, target.Target.Id, Pem(TestKeys.NewRsa("unused")), expirationDate: null);
        h.Receiver.Answer("/secret", ReceiverAnswer.Ok);

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.Denied, attempt.Failure);
        Assert.Empty(h.Receiver.Requests);
    }

    [Fact]
    public async Task CallAsync_JweActiveKeyDeactivated_FailsDeniedAndSendsNothing()
    {
        await using var h = await StartAsync();
        var target = await CreateAsync(h, "secret", PayloadType.Jwe, TargetType.Webhook);
        var key = await AddActiveKeyAsync(h, target, TestKeys.NewEc("unused"));
        await h.Management.DeactivatePublicKeyAsync(h.Admin, target.Target.Id, key.KeyId);
        h.Receiver.Answer("/secret", ReceiverAnswer.Ok);

        var attempt = await h.CallAsync(target);

        Assert.Equal(TargetFailureKind.Denied, attempt.Failure);
        Assert.Empty(h.Receiver.Requests);
    }

    [Fact]
    public async Task CallAsync_JweActiveKeyExpired_IsNotUsedAndNothingIsSent()
    {
        await using var h = await StartAsync();
        var target = await CreateAsync(h, "secret", PayloadType.Jwe, TargetType.Webhook);
        await AddActiveKeyAsync(h, target, TestKeys.NewRsa("unused"), _time.GetUtcNow().AddHours(1));
        h.Receiver.Answer("/secret", ReceiverAnswer.Ok);
        var before = await h.CallAsync(target);

        _time.Advance(TimeSpan.FromHours(1));
        var after = await h.CallAsync(target);

        Assert.True(before.Succeeded, before.Reason);
        Assert.Equal(TargetFailureKind.Denied, after.Failure);
        Assert.Contains("the active one has expired", after.Reason, StringComparison.Ordinal);
        Assert.Single(h.Receiver.Requests);
    }

    [Fact]
    public async Task CallAsync_JweAnotherKeyActivated_EncryptsToTheNewKeyOnly()
    {
        await using var h = await StartAsync();
        var target = await CreateAsync(h, "secret", PayloadType.Jwe, TargetType.Webhook);
        var oldKey = TestKeys.NewRsa("unused");
        var newKey = TestKeys.NewEc("unused");
        var first = await AddActiveKeyAsync(h, target, oldKey);
        var second = await AddActiveKeyAsync(h, target, newKey);
        h.Receiver.Answer("/secret", ReceiverAnswer.Ok);

        await h.CallAsync(target);

        var token = IdentityModelReceiver.Text(Assert.Single(h.Receiver.Requests).Body);
        Assert.Equal(second.KeyId, IdentityModelReceiver.Header(token).GetProperty("kid").GetString());
        var jwks = PayloadEncoderTests.Jwks(_hostKeys);
        var withOld = await IdentityModelReceiver.ValidateAsync(token, jwks, target.Target.Endpoint, [WithKid(oldKey, first.KeyId)], _time.GetUtcNow());
        var withNew = await IdentityModelReceiver.ValidateAsync(token, jwks, target.Target.Endpoint, [WithKid(oldKey, first.KeyId), WithKid(newKey, second.KeyId)], _time.GetUtcNow());
        Assert.False(withOld.IsValid);
        Assert.True(withNew.IsValid, withNew.Exception?.ToString());
    }

    private static async Task<TargetPublicKey> AddActiveKeyAsync(HttpActionsHarness h, CreatedTarget target, SecurityKey key, DateTimeOffset? expiration = null)
    {
        var added = await h.Management.AddPublicKeyAsync(h.Admin, target.Target.Id, Pem(key), expiration);
        return await h.Management.ActivatePublicKeyAsync(h.Admin, target.Target.Id, added.KeyId);
    }

    private static string Pem(SecurityKey key) => key switch
    {
        RsaSecurityKey rsa => rsa.Rsa.ExportSubjectPublicKeyInfoPem(),
        ECDsaSecurityKey ec => ec.ECDsa.ExportSubjectPublicKeyInfoPem(),
        _ => throw new ArgumentException("Only RSA and EC keys.", nameof(key)),
    };

    /// <summary>The receiver's private key under the id the target's key was given when it was added.</summary>
    private static SecurityKey WithKid(SecurityKey key, string keyId) => key switch
    {
        RsaSecurityKey rsa => new RsaSecurityKey(rsa.Rsa) { KeyId = keyId },
        ECDsaSecurityKey ec => new ECDsaSecurityKey(ec.ECDsa) { KeyId = keyId },
        _ => throw new ArgumentException("Only RSA and EC keys.", nameof(key)),
    };

    private Task<HttpActionsHarness> StartAsync() => HttpActionsHarness.StartAsync(
        configure: b => b.AddPayloadSigningKeys(_hostKeys),
        services: s => s.AddSingleton<TimeProvider>(_time));

    private static async Task<CreatedTarget> CreateAsync(HttpActionsHarness h, string name, PayloadType payloadType, TargetType type, SignatureScheme scheme = SignatureScheme.Zitadel) =>
        await h.Management.CreateTargetAsync(h.Admin, new TargetSpec
        {
            Name = name,
            Endpoint = h.Receiver.Url("/" + name),
            Type = type,
            Timeout = TimeSpan.FromSeconds(10),
            PayloadType = payloadType,
            SignatureScheme = scheme,
        });
}
