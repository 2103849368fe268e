using ActionExec.Errors;
using ActionExec.AspNetCore.Wire;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class UrlEncodedFormTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_NullOrEmpty_IsTheEmptyMap(string? text)
    {
        var violations = new ViolationList();

        var map = UrlEncodedForm.Parse(text, "parameters", violations);

        Assert.Empty(map);
        Assert.False(violations.HasAny);
    }

    [Theory]
    [InlineData("a=1", "a=1")]
    [InlineData("page=2&q=x&sort=name", "page=2|q=x|sort=name")]
    [InlineData("q=a+b", "q=a b")]
    [InlineData("q=a%2Bb%20c", "q=a+b c")]
    [InlineData("q=%26%3D%25", "q=&=%")]
    [InlineData("name=J%C3%BCrgen&city=Z%c3%bcrich", "name=Jürgen|city=Zürich")]
    [InlineData("name=Jürgen", "name=Jürgen")]
    [InlineData("emoji=%F0%9F%98%80&raw=😀", "emoji=😀|raw=😀")]
    [InlineData("token=abc==", "token=abc==")]
    [InlineData("a=b=c", "a=b=c")]
    [InlineData("empty=", "empty=")]
    [InlineData("my+key=v&my%20key=w", "my key=w")]
    [InlineData("a=1&b=2&a=3", "a=3|b=2")]
    public void Parse_WellFormed_DecodesEveryPairInOrderAndTheLastValueWins(string text, string expected)
    {
        var violations = new ViolationList();

        var map = UrlEncodedForm.Parse(text, "parameters", violations);

        Assert.False(violations.HasAny, string.Join(" ", violations.Items));
        Assert.Equal(expected.Split('|'), map.Select(p => p.Key + "=" + p.Value));
    }

    [Fact]
    public void Parse_Headers_AreComparedWithoutCaseKeepingTheFirstSpellingAndTheLastValue()
    {
        var violations = new ViolationList();

        var map = UrlEncodedForm.Parse("Content-Type=text/plain&Accept=*/*&content-type=application/json", "headers", violations);

        Assert.False(violations.HasAny);
        Assert.Equal(["Content-Type=application/json", "Accept=*/*"], map.Select(p => p.Key + "=" + p.Value));
        Assert.Equal("application/json", map["CONTENT-TYPE"]);
    }

    [Fact]
    public void Parse_Parameters_AreComparedWithCase()
    {
        var violations = new ViolationList();

        var map = UrlEncodedForm.Parse("q=1&Q=2", "parameters", violations);

        Assert.Equal(["q=1", "Q=2"], map.Select(p => p.Key + "=" + p.Value));
    }

    [Theory]
    [InlineData("=x", "The pair '=x' has no name; write it as name=value.")]
    [InlineData("a", "The pair 'a' has no '='; write it as name=value, or name= for an empty value.")]
    [InlineData("a=1&&b=2", "Pair 2 of 'a=1&&b=2' is empty; separate pairs with a single '&', as in 'a=1&b=2'.")]
    [InlineData("&a=1", "Pair 1 of '&a=1' is empty; separate pairs with a single '&', as in 'a=1&b=2'.")]
    [InlineData("a=1&", "Pair 2 of 'a=1&' is empty; separate pairs with a single '&', as in 'a=1&b=2'.")]
    [InlineData("a=%zz", "The pair 'a=%zz' has the invalid escape '%zz'; write '%' followed by two hexadecimal digits, and a literal '%' as %25.")]
    [InlineData("a=100%", "The pair 'a=100%' has the invalid escape '%'; write '%' followed by two hexadecimal digits, and a literal '%' as %25.")]
    [InlineData("a=%4", "The pair 'a=%4' has the invalid escape '%4'; write '%' followed by two hexadecimal digits, and a literal '%' as %25.")]
    [InlineData("%g1=x", "The pair '%g1=x' has the invalid escape '%g1'; write '%' followed by two hexadecimal digits, and a literal '%' as %25.")]
    [InlineData("a=%FF", "The pair 'a=%FF' decodes to bytes that are not UTF-8; percent-encode text as UTF-8, such as %C3%BC for 'ü'.")]
    [InlineData("a=%C3", "The pair 'a=%C3' decodes to bytes that are not UTF-8; percent-encode text as UTF-8, such as %C3%BC for 'ü'.")]
    public void Parse_Malformed_ReportsThePairOnTheFieldAndLeavesItOut(string text, string description)
    {
        var violations = new ViolationList();

        var map = UrlEncodedForm.Parse(text, "uriFragments", violations);

        var violation = Assert.Single(violations.Items);
        Assert.Equal(("uriFragments", description), (violation.Field, violation.Description));
        Assert.DoesNotContain(map, p => p.Key is not ("a" or "b"));
        Assert.DoesNotContain(map, p => p.Value.Contains('%', StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_LoneSurrogate_IsMalformed()
    {
        var violations = new ViolationList();

        var map = UrlEncodedForm.Parse("a=\ud800%41", "parameters", violations);

        Assert.Empty(map);
        var violation = Assert.Single(violations.Items);
        Assert.Equal(("parameters", "The pair 'a=\ud800%41' holds a character that is not valid Unicode text; remove it."), (violation.Field, violation.Description));
    }

    [Fact]
    public void Parse_SeveralMalformedPairs_ReportsEachAndKeepsTheGoodOnes()
    {
        var violations = new ViolationList();

        var map = UrlEncodedForm.Parse("ok=1&=x&b&c=%zz&d=4", "parameters", violations);

        Assert.Equal(["ok=1", "d=4"], map.Select(p => p.Key + "=" + p.Value));
        Assert.Equal(
            [
                "The pair '=x' has no name; write it as name=value.",
                "The pair 'b' has no '='; write it as name=value, or name= for an empty value.",
                "The pair 'c=%zz' has the invalid escape '%zz'; write '%' followed by two hexadecimal digits, and a literal '%' as %25.",
            ],
            violations.Items.Select(v => v.Description));
    }

    [Theory]
    [InlineData("Bad Name=1", "The header name 'Bad Name' is not a valid HTTP field name; use only letters, digits and !#$%&'*+-.^_`|~.")]
    [InlineData("X-A%3AB=1", "The header name 'X-A:B' is not a valid HTTP field name; use only letters, digits and !#$%&'*+-.^_`|~.")]
    [InlineData("X-Evil=a%0D%0AInjected: 1", "The value of the header 'X-Evil' contains CR, LF or NUL; remove them.")]
    [InlineData("X-Nul=a%00", "The value of the header 'X-Nul' contains CR, LF or NUL; remove them.")]
    public void Parse_HeaderNameOrValueHttpDoesNotAllow_IsMalformed(string text, string description)
    {
        var violations = new ViolationList();

        var map = UrlEncodedForm.Parse(text, "headers", violations);

        Assert.Empty(map);
        var violation = Assert.Single(violations.Items);
        Assert.Equal(("headers", description), (violation.Field, violation.Description));
    }

    [Fact]
    public void Parse_HeaderWithTokenPunctuationAndTabInValue_IsAccepted()
    {
        var violations = new ViolationList();

        var map = UrlEncodedForm.Parse("X-Custom_!#$'*.^`|~=a%09b&If-None-Match=%22abc%22", "headers", violations);

        Assert.False(violations.HasAny, string.Join(" ", violations.Items));
        Assert.Equal(["X-Custom_!#$'*.^`|~=a\tb", "If-None-Match=\"abc\""], map.Select(p => p.Key + "=" + p.Value));
    }
}
