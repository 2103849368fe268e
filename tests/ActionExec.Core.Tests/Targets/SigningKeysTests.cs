using System.Buffers.Text;
using ActionExec.Targets;

namespace ActionExec.Tests.Targets;

public sealed class SigningKeysTests
{
    [Fact]
    public void KeyBytes_IsAtLeast256Bits()
    {
        Assert.True(SigningKeys.KeyBytes * 8 >= 256);
    }

    [Fact]
    public void Generate_Zitadel_Is43Base64UrlCharactersOf32RandomBytes()
    {
        var key = SigningKeys.Generate(SignatureScheme.Zitadel);

        Assert.Equal(43, key.Length);
        Assert.All(key, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not a base64url character."));
        Assert.Equal(32, Base64Url.DecodeFromChars(key).Length);
    }

    [Fact]
    public void Generate_StandardWebhooks_IsWhsecPrefixAndBase64Of32Bytes()
    {
        var key = SigningKeys.Generate(SignatureScheme.StandardWebhooks);

        Assert.StartsWith("whsec_", key, StringComparison.Ordinal);
        Assert.Equal(SigningKeys.StandardWebhooksPrefix.Length + 44, key.Length);
        Assert.Equal(32, Convert.FromBase64String(key[SigningKeys.StandardWebhooksPrefix.Length..]).Length);
    }

    [Theory]
    [InlineData(SignatureScheme.Zitadel)]
    [InlineData(SignatureScheme.StandardWebhooks)]
    public void Generate_TwoCalls_GiveDifferentKeys(SignatureScheme scheme)
    {
        var keys = Enumerable.Range(0, 16).Select(_ => SigningKeys.Generate(scheme)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(16, keys.Count);
    }

    [Fact]
    public void Generate_UndefinedScheme_ThrowsArgumentOutOfRangeException()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => SigningKeys.Generate((SignatureScheme)7));

        Assert.Equal("scheme", exception.ParamName);
        Assert.Contains("The signature scheme 7 is unknown", exception.Message, StringComparison.Ordinal);
    }
}
