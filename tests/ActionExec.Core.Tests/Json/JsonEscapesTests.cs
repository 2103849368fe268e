using ActionExec.Json;
using static ActionExec.Tests.Support.JsonAssert;

namespace ActionExec.Tests.Json;

public sealed class JsonEscapesTests
{
    [Theory]
    [InlineData("""["\uD800"]""", 2, "\\uD800")]
    [InlineData("""["\udc00"]""", 2, "\\udc00")]
    [InlineData("""["\uD83C\u0041"]""", 2, "\\uD83C")]
    [InlineData("""["\uD83C\uD83C\uDF89"]""", 2, "\\uD83C")]
    [InlineData("""["\uD83C\uDF89","\uDF89"]""", 17, "\\uDF89")]
    [InlineData("""["\\\uDFFF"]""", 4, "\\uDFFF")]
    [InlineData("""["\uD800""", 2, "\\uD800")]
    [InlineData("""["\uD83C\u"]""", 2, "\\uD83C")]
    [InlineData("""["\uD83C\uDF8"]""", 2, "\\uD83C")]
    public void TryFindLoneSurrogate_HalfAPair_FindsTheFirstWithItsOffset(string json, int offset, string escape)
    {
        Assert.True(JsonEscapes.TryFindLoneSurrogate(Utf8(json), out var foundAt, out var found));

        Assert.Equal((offset, escape), (foundAt, found));
    }

    [Theory]
    [InlineData("""["\uD83C\uDF89"]""")]
    [InlineData("""["\\uD800"]""")]
    [InlineData("""["\\\\uD800"]""")]
    [InlineData("""["\u0041\u00fc\uFFFF"]""")]
    [InlineData("""["\uD8"]""")]
    [InlineData("""["\u"]""")]
    [InlineData("""["\uZZZZ"]""")]
    [InlineData("\\")]
    [InlineData("")]
    public void TryFindLoneSurrogate_NoHalfPair_FindsNothing(string json)
    {
        Assert.False(JsonEscapes.TryFindLoneSurrogate(Utf8(json), out var offset, out var escape));

        Assert.Equal((-1, ""), (offset, escape));
    }
}
