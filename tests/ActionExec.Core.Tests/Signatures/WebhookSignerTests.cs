using System.Security.Cryptography;
using System.Text;
using ActionExec.Signatures;
using ActionExec.Targets;

namespace ActionExec.Tests.Signatures;

public sealed class WebhookSignerTests
{
    private const string ZitadelKey = "pVZ1mfzIcjuwzxkz8oGrx1uZtO3MNA0ysBMtnSz3rG0";
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1_734_508_247);

    [Fact]
    public void CreateHeaders_Zitadel_SendsHexHmacOfTimestampDotBodyKeyedWithUtf8Key()
    {
        const string body = """{"user":{"id":"123"}}""";

        var headers = WebhookSigner.CreateHeaders(SignatureScheme.Zitadel, ZitadelKey, Encoding.UTF8.GetBytes(body), SignedAt, "d-1");

        var expectedHex = Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(ZitadelKey), Encoding.UTF8.GetBytes("1734508247." + body)));
        var header = Assert.Single(headers);
        Assert.Equal("ZITADEL-Signature", header.Key);
        Assert.Equal("t=1734508247,v1=" + expectedHex, header.Value);
    }

    [Fact]
    public void CreateHeaders_StandardWebhooksPublishedExample_ProducesThePublishedSignature()
    {
        var headers = WebhookSigner.CreateHeaders(
            SignatureScheme.StandardWebhooks,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            Encoding.UTF8.GetBytes("""{"test": 2432232314}"""),
            DateTimeOffset.FromUnixTimeSeconds(1_614_265_330),
            "msg_p5jXN8AQM9LWM0D4loKWxJek");

        Assert.Equal(
            [
                new("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
                new("webhook-timestamp", "1614265330"),
                new("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
            ],
            headers.ToArray());
    }

    [Fact]
    public void CreateHeaders_StandardWebhooks_SendsBase64HmacOfIdTimestampBodyKeyedWithDecodedSecret()
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);
        const string body = """{"event":"user.created"}""";

        var headers = WebhookSigner.CreateHeaders(SignatureScheme.StandardWebhooks, key, Encoding.UTF8.GetBytes(body), SignedAt, "d-42");

        var secret = Convert.FromBase64String(key["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes("d-42.1734508247." + body)));
        Assert.Equal("v1," + expected, headers[2].Value);
    }

    [Fact]
    public void CreateHeaders_StandardWebhooksKeyWithoutPrefix_UsesTheKeysUtf8BytesAsSecret()
    {
        var body = "{}"u8.ToArray();

        var headers = WebhookSigner.CreateHeaders(SignatureScheme.StandardWebhooks, ZitadelKey, body, SignedAt, "d-1");

        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ZitadelKey), "d-1.1734508247.{}"u8));
        Assert.Equal("v1," + expected, headers[2].Value);
    }

    [Fact]
    public void CreateHeaders_ZitadelWithWhsecKey_UsesTheWholeKeysUtf8Bytes()
    {
        const string key = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        var headers = WebhookSigner.CreateHeaders(SignatureScheme.Zitadel, key, "{}"u8, SignedAt, "d-1");

        var expectedHex = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), "1734508247.{}"u8));
        Assert.Equal("t=1734508247,v1=" + expectedHex, headers[0].Value);
    }

    [Theory]
    [InlineData(SignatureScheme.Zitadel)]
    [InlineData(SignatureScheme.StandardWebhooks)]
    public void CreateHeaders_LargeNonUtf8Body_SignsTheExactBytes(SignatureScheme scheme)
    {
        var key = SigningKeys.Generate(scheme);
        var body = new byte[70_000];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)(i * 7);
        }

        var headers = WebhookSigner.CreateHeaders(scheme, key, body, SignedAt, "d-9");

        var prefix = scheme == SignatureScheme.Zitadel ? "1734508247."u8.ToArray() : "d-9.1734508247."u8.ToArray();
        byte[] content = [.. prefix, .. body];
        var mac = HMACSHA256.HashData(HmacKey(scheme, key), content);
        var expected = scheme == SignatureScheme.Zitadel
            ? "t=1734508247,v1=" + Convert.ToHexStringLower(mac)
            : "v1," + Convert.ToBase64String(mac);
        Assert.Equal(expected, headers[headers.Count - 1].Value);
    }

    [Fact]
    public void CreateHeaders_EmptyBody_SignsTimestampAndDotOnly()
    {
        var headers = WebhookSigner.CreateHeaders(SignatureScheme.Zitadel, ZitadelKey, [], SignedAt, "d-1");

        var expectedHex = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ZitadelKey), "1734508247."u8));
        Assert.Equal("t=1734508247,v1=" + expectedHex, headers[0].Value);
    }

    [Fact]
    public void CreateHeaders_FractionalTimestamp_SendsWholeSecondsRoundedDown()
    {
        var headers = WebhookSigner.CreateHeaders(
            SignatureScheme.StandardWebhooks, ZitadelKey, "{}"u8, SignedAt.AddMilliseconds(999), "d-1");

        Assert.Equal("1734508247", headers[1].Value);
    }

    [Fact]
    public void AddHeaders_StandardWebhooks_AddsTheThreeHeadersInOrder()
    {
        var collected = new List<KeyValuePair<string, string>> { new("content-type", "application/json") };

        WebhookSigner.AddHeaders(SignatureScheme.StandardWebhooks, ZitadelKey, "{}"u8, SignedAt, "d-1", collected);

        Assert.Equal(["content-type", "webhook-id", "webhook-timestamp", "webhook-signature"], collected.Select(h => h.Key), StringComparer.Ordinal);
    }

    [Fact]
    public void AddHeaders_NullCollection_ThrowsArgumentNull()
    {
        var exception = Assert.Throws<ArgumentNullException>(
            () => WebhookSigner.AddHeaders(SignatureScheme.Zitadel, ZitadelKey, "{}"u8, SignedAt, "d-1", null!));

        Assert.Equal("headers", exception.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void CreateHeaders_MissingKey_ThrowsArgumentException(string? key)
    {
        var exception = Assert.Throws<ArgumentException>(
            () => WebhookSigner.CreateHeaders(SignatureScheme.Zitadel, key!, "{}"u8, SignedAt, "d-1"));

        Assert.Equal("signingKey", exception.ParamName);
        Assert.StartsWith("The signing key is null or empty; use the key that was returned when the target was created or its key was rotated.", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    public void CreateHeaders_WhsecKeyWithoutBase64Secret_ThrowsWithoutEchoingTheKey(string key)
    {
        var exception = Assert.Throws<ArgumentException>(
            () => WebhookSigner.CreateHeaders(SignatureScheme.StandardWebhooks, key, "{}"u8, SignedAt, "d-1"));

        Assert.Equal("signingKey", exception.ParamName);
        Assert.StartsWith(
            "The signing key starts with 'whsec_' but what follows is not a non-empty base64 secret; use the key exactly as it was generated ('whsec_' followed by the base64 of 32 random bytes).",
            exception.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateHeaders_DeliveryIdWithLineBreak_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => WebhookSigner.CreateHeaders(SignatureScheme.StandardWebhooks, ZitadelKey, "{}"u8, SignedAt, "d-1\r\nx-forged: 1"));

        Assert.Equal("deliveryId", exception.ParamName);
        Assert.StartsWith(
            "The delivery id 'd-1 x-forged: 1' contains a control character; use an id of printable characters, such as a GUID.",
            exception.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void CreateHeaders_EmptyDeliveryId_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => WebhookSigner.CreateHeaders(SignatureScheme.Zitadel, ZitadelKey, "{}"u8, SignedAt, ""));

        Assert.Equal("deliveryId", exception.ParamName);
    }

    [Fact]
    public void CreateHeaders_UndefinedScheme_ThrowsArgumentOutOfRange()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => WebhookSigner.CreateHeaders((SignatureScheme)7, ZitadelKey, "{}"u8, SignedAt, "d-1"));

        Assert.Equal("scheme", exception.ParamName);
        Assert.StartsWith("The signature scheme 7 is not defined; use Zitadel or StandardWebhooks.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Indexer_OutOfRange_ThrowsArgumentOutOfRange()
    {
        var headers = WebhookSigner.CreateHeaders(SignatureScheme.Zitadel, ZitadelKey, "{}"u8, SignedAt, "d-1");

        Assert.Throws<ArgumentOutOfRangeException>(() => headers[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => headers[-1]);
    }

    [Fact]
    public void Default_HasNoHeaders()
    {
        var headers = default(WebhookSignatureHeaders);

        Assert.Empty(headers);
        Assert.False(headers.GetEnumerator().MoveNext());
    }

    internal static byte[] HmacKey(SignatureScheme scheme, string key) =>
        scheme == SignatureScheme.StandardWebhooks && key.StartsWith("whsec_", StringComparison.Ordinal)
            ? Convert.FromBase64String(key["whsec_".Length..])
            : Encoding.UTF8.GetBytes(key);
}
