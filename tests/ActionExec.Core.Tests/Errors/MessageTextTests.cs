using ActionExec.Errors;

namespace ActionExec.Tests.Errors;

public sealed class MessageTextTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    [InlineData("a\u0000b", "a\\u0000b")]
    [InlineData("line\nbreak\r", "line\\u000Abreak\\u000D")]
    [InlineData("esc\u001B[31m", "esc\\u001B[31m")]
    [InlineData("del\u007F", "del\\u007F")]
    [InlineData("non\u00A0breaking", "non\u00A0breaking")]
    public void Shorten_ControlCharacters_AreEscaped(string value, string expected)
    {
        Assert.Equal(expected, MessageText.Shorten(value));
    }

    [Fact]
    public void Shorten_80Characters_IsKept()
    {
        var value = new string('x', 80);

        Assert.Same(value, MessageText.Shorten(value));
    }

    [Fact]
    public void Shorten_81Characters_IsCutTo77AndAnEllipsis()
    {
        Assert.Equal(new string('x', 77) + "...", MessageText.Shorten(new string('x', 81)));
    }
}
