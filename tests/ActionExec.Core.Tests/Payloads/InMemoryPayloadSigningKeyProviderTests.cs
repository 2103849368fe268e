using ActionExec.Payloads;
using ActionExec.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Tests.Payloads;

public sealed class InMemoryPayloadSigningKeyProviderTests
{
    [Fact]
    public void Constructor_SigningKeyAndPublished_PublishesBothSigningWithTheFirst()
    {
        var signing = TestKeys.NewRsa("k2");
        var previous = TestKeys.PublicOf(TestKeys.NewRsa("k1"));

        var provider = new InMemoryPayloadSigningKeyProvider(signing, [previous]);

        Assert.Same(signing, provider.SigningKey);
        Assert.Equal(["k2", "k1"], provider.PublishedKeys.Select(k => k.KeyId));
    }

    [Fact]
    public void Constructor_WeakKeysWithoutIds_NameEachByItsRole()
    {
        var weakSigning = new RsaSecurityKey(System.Security.Cryptography.RSA.Create(1024));
        var weakPublished = new RsaSecurityKey(System.Security.Cryptography.RSA.Create(1024));

        var error = Assert.Throws<ArgumentException>(() => new InMemoryPayloadSigningKeyProvider(weakSigning, [weakPublished]));

        Assert.Contains("The RSA signing key has 1024 bits", error.Message, StringComparison.Ordinal);
        Assert.Contains("The RSA published key has 1024 bits", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("The RSA the", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EveryProblem_ListsEachInOneException()
    {
        var noId = new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048));
        var weak = TestKeys.NewRsa("weak", 1024);
        var symmetric = new SymmetricSecurityKey(new byte[32]) { KeyId = "sym" };

        var error = Assert.Throws<ArgumentException>(() => new InMemoryPayloadSigningKeyProvider(noId, [weak, symmetric, TestKeys.NewEc("weak")]));

        Assert.Equal("signingKey", error.ParamName);
        Assert.Contains("The signing key has no KeyId", error.Message, StringComparison.Ordinal);
        Assert.Contains("The RSA key 'weak' has 1024 bits", error.Message, StringComparison.Ordinal);
        Assert.Contains("The key 'sym' is a SymmetricSecurityKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("The key id 'weak' is given twice", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    public void Constructor_PublicOnlySigningKey_IsRefused(string kind)
    {
        SecurityKey pair = string.Equals(kind, "rsa", StringComparison.Ordinal) ? TestKeys.NewRsa("pub") : TestKeys.NewEc("pub");

        var error = Assert.Throws<ArgumentException>(() => new InMemoryPayloadSigningKeyProvider(TestKeys.PublicOf(pair)));

        Assert.Contains("The signing key 'pub' has no private part", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EcKeyOffTheNistCurves_IsRefused()
    {
        var key = new ECDsaSecurityKey(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.CreateFromFriendlyName("brainpoolP256r1"))) { KeyId = "bp" };

        var error = Assert.Throws<ArgumentException>(() => new InMemoryPayloadSigningKeyProvider(key));

        Assert.Contains("The EC key 'bp' is not on P-256, P-384 or P-521", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotate_NewKey_SignsWithItAndKeepsTheOldOnePublished()
    {
        var old = TestKeys.NewRsa("k1");
        var provider = new InMemoryPayloadSigningKeyProvider(old);
        var next = TestKeys.NewEc("k2");

        provider.Rotate(next);

        Assert.Same(next, provider.SigningKey);
        Assert.Equal(["k2", "k1"], provider.PublishedKeys.Select(k => k.KeyId));
    }

    [Fact]
    public void Rotate_ToAPrePublishedKey_ReplacesItsPublishedEntry()
    {
        var next = TestKeys.NewRsa("k2");
        var provider = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("k1"), [TestKeys.PublicOf(next)]);

        provider.Rotate(next);

        Assert.Equal(["k2", "k1"], provider.PublishedKeys.Select(k => k.KeyId));
        Assert.Same(next, provider.PublishedKeys[0]);
    }

    [Fact]
    public void Rotate_UnusableKey_ChangesNothing()
    {
        var old = TestKeys.NewRsa("k1");
        var provider = new InMemoryPayloadSigningKeyProvider(old);

        Assert.Throws<ArgumentException>(() => provider.Rotate(TestKeys.NewRsa("k2", 1024)));

        Assert.Same(old, provider.SigningKey);
        Assert.Equal(["k1"], provider.PublishedKeys.Select(k => k.KeyId));
    }

    [Fact]
    public void Unpublish_OldKey_RemovesItOnce()
    {
        var provider = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("k1"));
        provider.Rotate(TestKeys.NewRsa("k2"));

        Assert.True(provider.Unpublish("k1"));
        Assert.False(provider.Unpublish("k1"));

        Assert.Equal(["k2"], provider.PublishedKeys.Select(k => k.KeyId));
    }

    [Fact]
    public void Unpublish_SigningKey_IsRefused()
    {
        var provider = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("k1"));

        var error = Assert.Throws<InvalidOperationException>(() => provider.Unpublish("k1"));

        Assert.Contains("call Rotate with a new key first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullSigningKey_ThrowsArgumentNull()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new InMemoryPayloadSigningKeyProvider(null!));

        Assert.Equal("signingKey", error.ParamName);
    }

    [Fact]
    public void Constructor_PublishedKeyWithoutIdOrNull_NamesThePublishedKey()
    {
        var noId = TestKeys.PublicOf(TestKeys.NewRsa("x"));
        noId.KeyId = null;

        var error = Assert.Throws<ArgumentException>(() => new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("k1"), [noId, null!]));

        Assert.Equal("signingKey", error.ParamName);
        Assert.Contains("A published key has no KeyId", error.Message, StringComparison.Ordinal);
        Assert.Contains("A published key is null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotate_Null_ThrowsArgumentNullAndChangesNothing()
    {
        var old = TestKeys.NewRsa("k1");
        var provider = new InMemoryPayloadSigningKeyProvider(old);

        var error = Assert.Throws<ArgumentNullException>(() => provider.Rotate(null!));

        Assert.Equal("signingKey", error.ParamName);
        Assert.Same(old, provider.SigningKey);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Unpublish_NoKeyId_IsRefusedAndChangesNothing(string? keyId)
    {
        var provider = new InMemoryPayloadSigningKeyProvider(TestKeys.NewRsa("k1"));
        provider.Rotate(TestKeys.NewRsa("k2"));

        var error = Assert.ThrowsAny<ArgumentException>(() => provider.Unpublish(keyId!));

        Assert.Equal("keyId", error.ParamName);
        Assert.Equal(["k2", "k1"], provider.PublishedKeys.Select(k => k.KeyId));
    }
}
