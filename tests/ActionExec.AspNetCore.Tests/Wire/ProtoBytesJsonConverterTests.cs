using ActionExec.AspNetCore.Wire;
using CsCheck;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class ProtoBytesJsonConverterTests
{
    [Fact]
    public void TryDecode_AnyBytesInEitherAlphabetWithOrWithoutPadding_GivesTheBytes()
    {
        Gen.Select(Gen.Byte.Array[0, 64], Gen.Bool, Gen.Bool, Gen.Bool).Sample((bytes, urlSafe, padded, wrapped) =>
        {
            var text = Convert.ToBase64String(bytes);
            if (urlSafe)
            {
                text = text.Replace('+', '-').Replace('/', '_');
            }

            if (!padded)
            {
                text = text.TrimEnd('=');
            }

            if (wrapped && text.Length > 4)
            {
                text = text[..4] + "\r\n" + text[4..];
            }

            return ProtoBytesJsonConverter.TryDecode(text, out var decoded) && decoded.AsSpan().SequenceEqual(bytes);
        });
    }

    [Theory]
    [InlineData("-----BEGIN PUBLIC KEY-----")]
    [InlineData("abc$")]
    [InlineData("a")]
    [InlineData("ab+_")]
    [InlineData("abcd===")]
    [InlineData("ab cd")]
    public void TryDecode_NotBase64_IsRefused(string text)
    {
        Assert.False(ProtoBytesJsonConverter.TryDecode(text, out _));
    }
}
