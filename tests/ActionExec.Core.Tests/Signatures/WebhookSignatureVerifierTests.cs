using System.Security.Cryptography;
using System.Text;
using ActionExec.Errors;
using ActionExec.Signatures;
using ActionExec.Targets;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Signatures;

public sealed class WebhookSignatureVerifierTests
{
    private const long SignedAtSeconds = 1_734_508_247;
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(SignedAtSeconds);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"user":{"id":"123"}}""");

    // A clock that stands still; a test that needs another time replaces it before building its verifier.
    private FakeTimeProvider _clock = new(SignedAt);

    public static TheoryData<SignatureScheme> Schemes => [SignatureScheme.Zitadel, SignatureScheme.StandardWebhooks];

    [Theory]
    [MemberData(nameof(Schemes))]
    public void TryVerify_SignedBySigner_Accepts(SignatureScheme scheme)
    {
        var key = SigningKeys.Generate(scheme);
        var headers = Sign(scheme, key);

        var verified = Verifier().TryVerify(scheme, headers, Body, [key], out var failure);

        Assert.True(verified);
        Assert.Null(failure);
    }

    [Fact]
    public void TryVerify_StandardWebhooksPublishedExample_Accepts()
    {
        _clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_614_265_330));
        KeyValuePair<string, string>[] headers =
        [
            new("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
            new("webhook-timestamp", "1614265330"),
            new("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
        ];

        var verified = Verifier().TryVerify(
            SignatureScheme.StandardWebhooks,
            headers,
            Encoding.UTF8.GetBytes("""{"test": 2432232314}"""),
            ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
            out var failure);

        Assert.True(verified, failure);
    }

    [Fact]
    public void TryVerify_ZitadelHeaderComputedIndependently_Accepts()
    {
        const string key = "pVZ1mfzIcjuwzxkz8oGrx1uZtO3MNA0ysBMtnSz3rG0";
        byte[] content = [.. Encoding.UTF8.GetBytes($"{SignedAtSeconds}."), .. Body];
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), content);
        KeyValuePair<string, string>[] headers = [new("ZITADEL-Signature", $"t={SignedAtSeconds},v1={Convert.ToHexStringLower(mac)}")];

        Assert.True(Verifier().TryVerify(SignatureScheme.Zitadel, headers, Body, [key], out var failure), failure);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void TryVerify_TamperedBody_RejectsWithNoMatchingSignature(SignatureScheme scheme)
    {
        var key = SigningKeys.Generate(scheme);
        var headers = Sign(scheme, key);
        var tampered = Encoding.UTF8.GetBytes("""{"user":{"id":"124"}}""");

        var verified = Verifier().TryVerify(scheme, headers, tampered, [key], out var failure);

        Assert.False(verified);
        Assert.Equal(
            $"No v1 signature in the {SignatureHeaderName(scheme)} header matches the configured signing key; configure the receiver with the target's current signing key, and verify the body exactly as received.",
            failure);
    }

    [Fact]
    public void TryVerify_ZitadelTamperedTimestamp_RejectsWithNoMatchingSignature()
    {
        var key = SigningKeys.Generate(SignatureScheme.Zitadel);
        var signature = Sign(SignatureScheme.Zitadel, key)[0].Value;
        KeyValuePair<string, string>[] headers = [new("ZITADEL-Signature", signature.Replace($"t={SignedAtSeconds}", $"t={SignedAtSeconds + 1}", StringComparison.Ordinal))];

        var verified = Verifier().TryVerify(SignatureScheme.Zitadel, headers, Body, [key], out var failure);

        Assert.False(verified);
        Assert.StartsWith("No v1 signature in the ZITADEL-Signature header matches", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void TryVerify_StandardWebhooksTamperedTimestamp_RejectsWithNoMatchingSignature()
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        var headers = Replace(Sign(SignatureScheme.StandardWebhooks, key), "webhook-timestamp", (SignedAtSeconds - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        var verified = Verifier().TryVerify(SignatureScheme.StandardWebhooks, headers, Body, [key], out var failure);

        Assert.False(verified);
        Assert.StartsWith("No v1 signature in the webhook-signature header matches", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void TryVerify_StandardWebhooksTamperedId_RejectsWithNoMatchingSignature()
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        var headers = Replace(Sign(SignatureScheme.StandardWebhooks, key), "webhook-id", "d-2");

        Assert.False(Verifier().TryVerify(SignatureScheme.StandardWebhooks, headers, Body, [key], out _));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void TryVerify_TimestampBeyondToleranceInThePast_RejectsAsStale(SignatureScheme scheme)
    {
        var key = SigningKeys.Generate(scheme);
        var headers = Sign(scheme, key);
        _clock = new FakeTimeProvider(SignedAt.AddSeconds(301));

        var verified = Verifier().TryVerify(scheme, headers, Body, [key], out var failure);

        Assert.False(verified);
        Assert.Equal(
            "The signature timestamp 1734508247 is 301 seconds old, beyond the tolerance of 300 seconds; the request is stale (possibly replayed), or the sender's clock is behind.",
            failure);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void TryVerify_TimestampBeyondToleranceInTheFuture_RejectsAsFuture(SignatureScheme scheme)
    {
        var key = SigningKeys.Generate(scheme);
        var headers = Sign(scheme, key);
        _clock = new FakeTimeProvider(SignedAt.AddSeconds(-301));

        var verified = Verifier().TryVerify(scheme, headers, Body, [key], out var failure);

        Assert.False(verified);
        Assert.Equal(
            "The signature timestamp 1734508247 is 301 seconds in the future, beyond the tolerance of 300 seconds; the sender's clock is ahead, or the timestamp was altered.",
            failure);
    }

    [Theory]
    [InlineData(SignatureScheme.Zitadel, 300)]
    [InlineData(SignatureScheme.Zitadel, -300)]
    [InlineData(SignatureScheme.StandardWebhooks, 300)]
    [InlineData(SignatureScheme.StandardWebhooks, -300)]
    public void TryVerify_TimestampAtTheEdgeOfTolerance_Accepts(SignatureScheme scheme, int clockOffsetSeconds)
    {
        var key = SigningKeys.Generate(scheme);
        var headers = Sign(scheme, key);
        _clock = new FakeTimeProvider(SignedAt.AddSeconds(clockOffsetSeconds));

        Assert.True(Verifier().TryVerify(scheme, headers, Body, [key], out var failure), failure);
    }

    [Fact]
    public void TryVerify_CustomTolerance_AppliesIt()
    {
        var key = SigningKeys.Generate(SignatureScheme.Zitadel);
        var headers = Sign(SignatureScheme.Zitadel, key);
        _clock = new FakeTimeProvider(SignedAt.AddSeconds(31));
        var verifier = new WebhookSignatureVerifier(new WebhookVerificationOptions { Tolerance = TimeSpan.FromSeconds(30), TimeProvider = _clock });

        var verified = verifier.TryVerify(SignatureScheme.Zitadel, headers, Body, [key], out var failure);

        Assert.False(verified);
        Assert.Equal(
            "The signature timestamp 1734508247 is 31 seconds old, beyond the tolerance of 30 seconds; the request is stale (possibly replayed), or the sender's clock is behind.",
            failure);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void TryVerify_WrongKey_RejectsWithNoMatchingSignature(SignatureScheme scheme)
    {
        var headers = Sign(scheme, SigningKeys.Generate(scheme));

        var verified = Verifier().TryVerify(scheme, headers, Body, [SigningKeys.Generate(scheme)], out var failure);

        Assert.False(verified);
        Assert.StartsWith($"No v1 signature in the {SignatureHeaderName(scheme)} header matches the configured signing key;", failure, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void TryVerify_OldAndNewKeysConfigured_AcceptsRequestsSignedWithEither(SignatureScheme scheme)
    {
        var oldKey = SigningKeys.Generate(scheme);
        var newKey = SigningKeys.Generate(scheme);
        var verifier = Verifier();

        Assert.True(verifier.TryVerify(scheme, Sign(scheme, oldKey), Body, [oldKey, newKey], out var oldFailure), oldFailure);
        Assert.True(verifier.TryVerify(scheme, Sign(scheme, newKey), Body, [oldKey, newKey], out var newFailure), newFailure);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void TryVerify_OnlyNewKeyConfigured_RejectsRequestSignedWithOldKey(SignatureScheme scheme)
    {
        var oldKey = SigningKeys.Generate(scheme);
        var newKey = SigningKeys.Generate(scheme);
        var verifier = Verifier();

        Assert.True(verifier.TryVerify(scheme, Sign(scheme, newKey), Body, [newKey], out _));
        Assert.False(verifier.TryVerify(scheme, Sign(scheme, oldKey), Body, [newKey], out var failure));
        Assert.StartsWith("No v1 signature in the", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void TryVerify_SeveralKeysNoneMatching_NamesTheKeyCount()
    {
        var headers = Sign(SignatureScheme.Zitadel, SigningKeys.Generate(SignatureScheme.Zitadel));
        string[] keys = [SigningKeys.Generate(SignatureScheme.Zitadel), SigningKeys.Generate(SignatureScheme.Zitadel)];

        Verifier().TryVerify(SignatureScheme.Zitadel, headers, Body, keys, out var failure);

        Assert.Equal(
            "No v1 signature in the ZITADEL-Signature header matches any of the 2 configured signing keys; configure the receiver with the target's current signing key, and verify the body exactly as received.",
            failure);
    }

    [Fact]
    public void TryVerify_ZitadelSeveralV1Values_AcceptsWhenAnyMatches()
    {
        var oldKey = SigningKeys.Generate(SignatureScheme.Zitadel);
        var newKey = SigningKeys.Generate(SignatureScheme.Zitadel);
        var oldV1 = Sign(SignatureScheme.Zitadel, oldKey)[0].Value.Split(",v1=")[1];
        var newV1 = Sign(SignatureScheme.Zitadel, newKey)[0].Value.Split(",v1=")[1];
        KeyValuePair<string, string>[] headers = [new("ZITADEL-Signature", $"t={SignedAtSeconds},v1={oldV1}, v1=nothex,v2=abc,v1={newV1}")];
        var verifier = Verifier();

        Assert.True(verifier.TryVerify(SignatureScheme.Zitadel, headers, Body, [newKey], out var newFailure), newFailure);
        Assert.True(verifier.TryVerify(SignatureScheme.Zitadel, headers, Body, [oldKey], out var oldFailure), oldFailure);
        Assert.False(verifier.TryVerify(SignatureScheme.Zitadel, headers, Body, [SigningKeys.Generate(SignatureScheme.Zitadel)], out _));
    }

    [Fact]
    public void TryVerify_StandardWebhooksSeveralSignatures_AcceptsWhenAnyV1Matches()
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        var signed = Sign(SignatureScheme.StandardWebhooks, key);
        var other = Sign(SignatureScheme.StandardWebhooks, SigningKeys.Generate(SignatureScheme.StandardWebhooks))[2].Value;
        var headers = Replace(signed, "webhook-signature", $"{other} v1a,c2lnbmF0dXJl  v1,!!! {signed[2].Value}");

        Assert.True(Verifier().TryVerify(SignatureScheme.StandardWebhooks, headers, Body, [key], out var failure), failure);
    }

    [Fact]
    public void TryVerify_StandardWebhooksMatchingSignatureOnlyUnderAnotherVersion_Rejects()
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        var signed = Sign(SignatureScheme.StandardWebhooks, key);
        var headers = Replace(signed, "webhook-signature", "v1,AAAA " + signed[2].Value.Replace("v1,", "v2,", StringComparison.Ordinal));

        Assert.False(Verifier().TryVerify(SignatureScheme.StandardWebhooks, headers, Body, [key], out var failure));
        Assert.StartsWith("No v1 signature in the webhook-signature header matches", failure, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void TryVerify_ManyV1ValuesWithTheMatchLast_Accepts(SignatureScheme scheme)
    {
        var key = SigningKeys.Generate(scheme);
        var signature = Sign(scheme, key)[^1].Value;
        var decoys = Enumerable.Range(0, 20)
            .Select(_ => Sign(scheme, SigningKeys.Generate(scheme))[^1].Value)
            .ToList();
        var combined = scheme == SignatureScheme.Zitadel
            ? $"t={SignedAtSeconds}," + string.Join(",", decoys.Select(d => d.Split(',')[1])) + "," + signature.Split(',')[1]
            : string.Join(" ", decoys) + " " + signature;
        var headers = Replace(Sign(scheme, key), SignatureHeaderName(scheme), combined);

        Assert.True(Verifier().TryVerify(scheme, headers, Body, [key], out var failure), failure);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void TryVerify_LargeBody_Accepts(SignatureScheme scheme)
    {
        var key = SigningKeys.Generate(scheme);
        var body = new byte[50_000];
        body.AsSpan().Fill((byte)'x');
        var headers = WebhookSigner.CreateHeaders(scheme, key, body, SignedAt, "d-1").ToArray();

        Assert.True(Verifier().TryVerify(scheme, headers, body, [key], out var failure), failure);
        body[^1] = (byte)'y';
        Assert.False(Verifier().TryVerify(scheme, headers, body, [key], out _));
    }

    [Fact]
    public void TryVerify_HeaderNamesInAnyCase_AreFound()
    {
        var zitadelKey = SigningKeys.Generate(SignatureScheme.Zitadel);
        var zitadel = Sign(SignatureScheme.Zitadel, zitadelKey).Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value));
        var standardKey = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        var standard = Sign(SignatureScheme.StandardWebhooks, standardKey).Select(h => new KeyValuePair<string, string>(h.Key.ToUpperInvariant(), h.Value));

        Assert.True(Verifier().TryVerify(SignatureScheme.Zitadel, zitadel, Body, [zitadelKey], out var zitadelFailure), zitadelFailure);
        Assert.True(Verifier().TryVerify(SignatureScheme.StandardWebhooks, standard, Body, [standardKey], out var standardFailure), standardFailure);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void TryVerify_LookupFunction_Accepts(SignatureScheme scheme)
    {
        var key = SigningKeys.Generate(scheme);
        var headers = new Dictionary<string, string>(Sign(scheme, key), StringComparer.OrdinalIgnoreCase);

        var verified = Verifier().TryVerify(scheme, name => headers.GetValueOrDefault(name), Body, [key], out var failure);

        Assert.True(verified, failure);
    }

    [Fact]
    public void TryVerify_StandardWebhooksSignatureSplitOverTwoHeaders_UsesBoth()
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        var signed = Sign(SignatureScheme.StandardWebhooks, key);
        var decoy = Sign(SignatureScheme.StandardWebhooks, SigningKeys.Generate(SignatureScheme.StandardWebhooks))[2];
        KeyValuePair<string, string>[] headers = [signed[0], signed[1], decoy, signed[2]];

        Assert.True(Verifier().TryVerify(SignatureScheme.StandardWebhooks, headers, Body, [key], out var failure), failure);
    }

    [Fact]
    public void TryVerify_StandardWebhooksRepeatedId_Rejects()
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        var signed = Sign(SignatureScheme.StandardWebhooks, key);
        KeyValuePair<string, string>[] headers = [.. signed, new("Webhook-Id", "d-2")];

        Assert.False(Verifier().TryVerify(SignatureScheme.StandardWebhooks, headers, Body, [key], out var failure));
        Assert.Equal("The request has more than one webhook-id header; a sender sends exactly one.", failure);
    }

    [Fact]
    public void TryVerify_ZitadelHeaderMissing_RejectsNamingIt()
    {
        var verified = Verifier().TryVerify(SignatureScheme.Zitadel, [new("webhook-signature", "v1,AAAA")], Body, [SigningKeys.Generate(SignatureScheme.Zitadel)], out var failure);

        Assert.False(verified);
        Assert.Equal("The request has no ZITADEL-Signature header; the sender must sign each request with the target's signing key.", failure);
    }

    [Fact]
    public void TryVerify_StandardWebhooksHeadersMissing_RejectsNamingEachMissingHeader()
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        var signed = Sign(SignatureScheme.StandardWebhooks, key);

        Verifier().TryVerify(SignatureScheme.StandardWebhooks, [signed[1]], Body, [key], out var twoMissing);
        Verifier().TryVerify(SignatureScheme.StandardWebhooks, [signed[0], signed[2]], Body, [key], out var oneMissing);
        Verifier().TryVerify(SignatureScheme.StandardWebhooks, [], Body, [key], out var allMissing);

        Assert.Equal("The request has no webhook-id or webhook-signature header; a Standard Webhooks sender sends webhook-id, webhook-timestamp and webhook-signature.", twoMissing);
        Assert.Equal("The request has no webhook-timestamp header; a Standard Webhooks sender sends webhook-id, webhook-timestamp and webhook-signature.", oneMissing);
        Assert.Equal("The request has no webhook-id, webhook-timestamp or webhook-signature header; a Standard Webhooks sender sends webhook-id, webhook-timestamp and webhook-signature.", allMissing);
    }

    [Theory]
    [InlineData("v1=abc", "it has no t= timestamp")]
    [InlineData("t=1734508247", "it has no v1= signature")]
    [InlineData("t=1734508247,v2=abc", "it has no v1= signature")]
    [InlineData("t=soon,v1=abc", "the timestamp 'soon' is not a non-negative whole number of Unix seconds")]
    [InlineData("t=-5,v1=abc", "the timestamp '-5' is not a non-negative whole number of Unix seconds")]
    [InlineData("t=1734508247,t=1734508247,v1=abc", "it has more than one t= timestamp")]
    [InlineData("t=1734508247,v1abc", "the part 'v1abc' is not of the form name=value")]
    [InlineData("t=1734508247,,v1=abc", "the part '' is not of the form name=value")]
    public void TryVerify_MalformedZitadelHeader_RejectsSayingWhy(string header, string reason)
    {
        var verified = Verifier().TryVerify(SignatureScheme.Zitadel, [new("ZITADEL-Signature", header)], Body, [SigningKeys.Generate(SignatureScheme.Zitadel)], out var failure);

        Assert.False(verified);
        Assert.Equal($"The ZITADEL-Signature header is malformed: {reason}; expected 't=<unix seconds>,v1=<hex HMAC-SHA256>'.", failure);
    }

    [Fact]
    public void TryVerify_MalformedPartLongerThanEchoLimit_IsCut()
    {
        var part = new string('a', 100);

        Verifier().TryVerify(SignatureScheme.Zitadel, [new("ZITADEL-Signature", part)], Body, [SigningKeys.Generate(SignatureScheme.Zitadel)], out var failure);

        Assert.Equal($"The ZITADEL-Signature header is malformed: the part '{new string('a', 64)}…' is not of the form name=value; expected 't=<unix seconds>,v1=<hex HMAC-SHA256>'.", failure);
    }

    [Fact]
    public void TryVerify_StandardWebhooksTimestampNotANumber_RejectsSayingWhy()
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        var headers = Replace(Sign(SignatureScheme.StandardWebhooks, key), "webhook-timestamp", "2024-12-18T07:50:47Z");

        Verifier().TryVerify(SignatureScheme.StandardWebhooks, headers, Body, [key], out var failure);

        Assert.Equal(
            "The webhook-timestamp header '2024-12-18T07:50:47Z' is not a non-negative whole number of Unix seconds; the sender must send the time of signing as seconds since 1970-01-01T00:00:00Z.",
            failure);
    }

    [Theory]
    [InlineData("v1,abc garbage", "The webhook-signature header is malformed: the entry 'garbage' is not of the form '<version>,<signature>'; expected space-separated entries such as 'v1,<base64 HMAC-SHA256>'.")]
    [InlineData(",abc", "The webhook-signature header is malformed: the entry ',abc' is not of the form '<version>,<signature>'; expected space-separated entries such as 'v1,<base64 HMAC-SHA256>'.")]
    [InlineData("v1a,abc v2,def", "The webhook-signature header has no v1 signature; expected space-separated entries such as 'v1,<base64 HMAC-SHA256>'.")]
    public void TryVerify_MalformedStandardWebhooksSignature_RejectsSayingWhy(string signature, string expected)
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        var headers = Replace(Sign(SignatureScheme.StandardWebhooks, key), "webhook-signature", signature);

        Verifier().TryVerify(SignatureScheme.StandardWebhooks, headers, Body, [key], out var failure);

        Assert.Equal(expected, failure);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Verify_Valid_DoesNotThrow(SignatureScheme scheme)
    {
        var key = SigningKeys.Generate(scheme);
        var headers = Sign(scheme, key);

        Verifier().Verify(scheme, headers, Body, [key]);
        Verifier().Verify(scheme, name => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value, Body, [key]);
    }

    [Fact]
    public void Verify_Stale_ThrowsUnauthenticatedWithTheFailure()
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        var headers = Sign(SignatureScheme.StandardWebhooks, key);
        _clock = new FakeTimeProvider(SignedAt.AddMinutes(10));

        var exception = Assert.Throws<ActionExecException>(() => Verifier().Verify(SignatureScheme.StandardWebhooks, headers, Body, [key]));

        Assert.Equal(ActionExecErrorCode.Unauthenticated, exception.Code);
        Assert.Equal(401, exception.HttpStatusCode);
        Assert.Equal(
            "The signature timestamp 1734508247 is 600 seconds old, beyond the tolerance of 300 seconds; the request is stale (possibly replayed), or the sender's clock is behind.",
            exception.Message);
    }

    [Fact]
    public void Verify_LookupFunctionMissingHeader_ThrowsUnauthenticated()
    {
        var exception = Assert.Throws<ActionExecException>(
            () => Verifier().Verify(SignatureScheme.Zitadel, _ => null, Body, [SigningKeys.Generate(SignatureScheme.Zitadel)]));

        Assert.Equal(ActionExecErrorCode.Unauthenticated, exception.Code);
        Assert.Equal("The request has no ZITADEL-Signature header; the sender must sign each request with the target's signing key.", exception.Message);
    }

    [Fact]
    public void TryVerify_NoKeys_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => Verifier().TryVerify(SignatureScheme.Zitadel, Sign(SignatureScheme.Zitadel, "k"), Body, [], out _));

        Assert.Equal("keys", exception.ParamName);
        Assert.StartsWith("No signing key was given; pass the target's signing key, or during a rotation both the old and the new key.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryVerify_EmptyKeyAmongKeys_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => Verifier().TryVerify(SignatureScheme.Zitadel, Sign(SignatureScheme.Zitadel, "k"), Body, ["k", ""], out _));

        Assert.Equal("keys", exception.ParamName);
    }

    [Fact]
    public void TryVerify_WhsecKeyWithoutBase64Secret_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => Verifier().TryVerify(SignatureScheme.StandardWebhooks, [], Body, ["whsec_%%%%"], out _));

        Assert.Equal("keys", exception.ParamName);
    }

    [Fact]
    public void TryVerify_NullHeaders_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(
            () => Verifier().TryVerify(SignatureScheme.Zitadel, (IEnumerable<KeyValuePair<string, string>>)null!, Body, ["k"], out _));
        Assert.Throws<ArgumentNullException>(
            () => Verifier().TryVerify(SignatureScheme.Zitadel, (Func<string, string?>)null!, Body, ["k"], out _));
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryViolation()
    {
        var options = new WebhookVerificationOptions { Tolerance = TimeSpan.FromSeconds(-1), TimeProvider = null! };

        var exception = Assert.Throws<ActionExecException>(() => new WebhookSignatureVerifier(options));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, exception.Code);
        Assert.Equal<FieldViolation>(
            [
                new FieldViolation("tolerance", "The tolerance -00:00:01 is negative; use zero or a positive duration such as 00:05:00."),
                new FieldViolation("timeProvider", "The time provider is null; use TimeProvider.System or the clock the host injects."),
            ],
            exception.Violations);
    }

    [Fact]
    public void Constructor_OptionsChangedAfterwards_KeepsTheValuesItWasCreatedWith()
    {
        var key = SigningKeys.Generate(SignatureScheme.Zitadel);
        var options = new WebhookVerificationOptions { TimeProvider = _clock };
        var verifier = new WebhookSignatureVerifier(options);
        options.Tolerance = TimeSpan.Zero;
        _clock.SetUtcNow(SignedAt.AddSeconds(100));

        Assert.True(verifier.TryVerify(SignatureScheme.Zitadel, Sign(SignatureScheme.Zitadel, key), Body, [key], out var failure), failure);
    }

    [Fact]
    public void Options_Defaults_Are300SecondsAndTheSystemClock()
    {
        var options = new WebhookVerificationOptions();

        Assert.Equal(TimeSpan.FromSeconds(300), options.Tolerance);
        Assert.Same(TimeProvider.System, options.TimeProvider);
    }

    private WebhookSignatureVerifier Verifier() => new(new WebhookVerificationOptions { TimeProvider = _clock });

    private static KeyValuePair<string, string>[] Sign(SignatureScheme scheme, string key) =>
        [.. WebhookSigner.CreateHeaders(scheme, key, Body, SignedAt, "d-1")];

    private static string SignatureHeaderName(SignatureScheme scheme) =>
        scheme == SignatureScheme.Zitadel ? "ZITADEL-Signature" : "webhook-signature";

    private static KeyValuePair<string, string>[] Replace(KeyValuePair<string, string>[] headers, string name, string value) =>
        [.. headers.Select(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase) ? new KeyValuePair<string, string>(h.Key, value) : h)];
}
