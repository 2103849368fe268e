using ActionExec.AspNetCore.Wire;
using static ActionExec.Tests.Support.JsonAssert;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class ProtoJsonTests
{
    private const string DurationHelp = "write seconds with an 's' suffix and at most 9 fractional digits, such as \"10s\" or \"1.500s\".";

    [Theory]
    [InlineData("10s", 100_000_000L)]
    [InlineData("1.500s", 15_000_000L)]
    [InlineData("1.5s", 15_000_000L)]
    [InlineData("0.5s", 5_000_000L)]
    [InlineData("-1s", -10_000_000L)]
    [InlineData("-0.25s", -2_500_000L)]
    [InlineData("0s", 0L)]
    [InlineData("007s", 70_000_000L)]
    [InlineData("0.000000100s", 1L)]
    [InlineData("1.000000199s", 10_000_001L)]
    [InlineData("315576000000s", 3_155_760_000_000_000_000L)]
    public void TryParseDuration_Valid_ReadsTicks(string text, long ticks)
    {
        Assert.True(ProtoJson.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromTicks(ticks), value);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("-s")]
    [InlineData("1.s")]
    [InlineData(".5s")]
    [InlineData("1,5s")]
    [InlineData("1.1234567890s")]
    [InlineData("+1s")]
    [InlineData("--1s")]
    [InlineData(" 1s")]
    [InlineData("1s ")]
    [InlineData("1m")]
    [InlineData("10S")]
    [InlineData("1e3s")]
    [InlineData("315576000001s")]
    [InlineData("99999999999999999999s")]
    [InlineData("")]
    public void TryParseDuration_Invalid_IsRejected(string text)
    {
        Assert.False(ProtoJson.TryParseDuration(text, out _));
    }

    [Theory]
    [InlineData(100_000_000L, "10s")]
    [InlineData(15_000_000L, "1.500s")]
    [InlineData(5_000_000L, "0.500s")]
    [InlineData(-15_000_000L, "-1.500s")]
    [InlineData(0L, "0s")]
    [InlineData(12_345_670L, "1.234567s")]
    [InlineData(10_001_000L, "1.000100s")]
    [InlineData(1L, "0.000000100s")]
    [InlineData(12_345_678L, "1.234567800s")]
    [InlineData(long.MinValue, "-922337203685.477580800s")]
    public void FormatDuration_UsesWholeSecondsOrThreeSixOrNineDigits(long ticks, string expected)
    {
        Assert.Equal(expected, ProtoJson.FormatDuration(TimeSpan.FromTicks(ticks)));
    }

    [Theory]
    [InlineData("\"1m\"", "The duration '1m' is not valid; " + DurationHelp)]
    [InlineData("\"10\"", "The duration '10' is not valid; " + DurationHelp)]
    [InlineData("10", "The value 10 is not a duration string such as \"10s\".")]
    [InlineData("{}", "The value (an object) is not a duration string such as \"10s\".")]
    public void ReadCreateTargetRequest_InvalidTimeout_FailsOnTimeout(string timeout, string description)
    {
        var body = $$$"""{"name":"n","endpoint":"https://example.com","timeout":{{{timeout}}},"restWebhook":{}}""";

        Invalid(() => ActionExecJson.ReadCreateTargetRequest(Utf8(body)), ("timeout", description));
    }

    [Theory]
    [InlineData("2024-12-18T07:50:47.492Z", 2024, 12, 18, 7, 50, 47, 4_920_000L)]
    [InlineData("2024-12-18T09:50:47.492+02:00", 2024, 12, 18, 7, 50, 47, 4_920_000L)]
    [InlineData("2024-12-18T02:20:47-05:30", 2024, 12, 18, 7, 50, 47, 0L)]
    [InlineData("2024-12-18t07:50:47.123456789z", 2024, 12, 18, 7, 50, 47, 1_234_567L)]
    [InlineData("2024-12-18T07:50:47.1Z", 2024, 12, 18, 7, 50, 47, 1_000_000L)]
    [InlineData("2024-12-31T23:30:00-01:00", 2025, 1, 1, 0, 30, 0, 0L)]
    public void TryParseTimestamp_Rfc3339_ReadsAsUtc(string text, int year, int month, int day, int hour, int minute, int second, long fractionTicks)
    {
        Assert.True(ProtoJson.TryParseTimestamp(text, out var value));
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(fractionTicks), value);
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Theory]
    [InlineData("2024-12-18")]
    [InlineData("2024-12-18T07:50:47")]
    [InlineData("2024-12-18T07:50Z")]
    [InlineData("2024-12-18 07:50:47Z")]
    [InlineData("2024-13-18T07:50:47Z")]
    [InlineData("2024-02-30T07:50:47Z")]
    [InlineData("2024-12-18T24:00:00Z")]
    [InlineData("2024-12-18T07:50:47.Z")]
    [InlineData("2024-12-18T07:50:47.1234567890Z")]
    [InlineData("2024-12-18T07:50:47+0200")]
    [InlineData("2024-12-18T07:50:47+15:00")]
    [InlineData("9999-12-31T23:59:59.9999999-01:00")]
    [InlineData("yesterday")]
    public void TryParseTimestamp_NotRfc3339_IsRejected(string text)
    {
        Assert.False(ProtoJson.TryParseTimestamp(text, out _));
    }

    [Theory]
    [InlineData(0L, "2024-12-18T07:50:47.000Z")]
    [InlineData(4_920_000L, "2024-12-18T07:50:47.492Z")]
    [InlineData(4_921_230L, "2024-12-18T07:50:47.492123Z")]
    [InlineData(4_921_234L, "2024-12-18T07:50:47.492123400Z")]
    [InlineData(1L, "2024-12-18T07:50:47.000000100Z")]
    public void FormatTimestamp_WritesUtcWithThreeSixOrNineDigits(long fractionTicks, string expected)
    {
        var value = new DateTimeOffset(2024, 12, 18, 7, 50, 47, TimeSpan.Zero).AddTicks(fractionTicks);

        Assert.Equal(expected, ProtoJson.FormatTimestamp(value));
    }

    [Fact]
    public void FormatTimestamp_Offset_IsConvertedToUtc()
    {
        var value = new DateTimeOffset(2024, 12, 18, 9, 50, 47, 492, TimeSpan.FromHours(2));

        Assert.Equal("2024-12-18T07:50:47.492Z", ProtoJson.FormatTimestamp(value));
    }

    [Fact]
    public void Read_InvalidTimestamp_FailsNamingTheValue()
    {
        Invalid(
            () => ActionExecJson.Read(Utf8("""{"setDate":"2024-12-18 07:50:47Z"}"""), ActionExecJsonContext.Default.SetDateResponseJson),
            ("setDate", "The timestamp '2024-12-18 07:50:47Z' is not valid; write an RFC 3339 time such as \"2024-12-18T07:50:47.492Z\"."));
    }

    [Fact]
    public void Read_NullTimestamp_FailsNamingTheValue()
    {
        Invalid(
            () => ActionExecJson.Read(Utf8("""{"setDate":null}"""), ActionExecJsonContext.Default.SetDateResponseJson),
            ("setDate", "The value null is not an RFC 3339 time string such as \"2024-12-18T07:50:47.492Z\"."));
    }
}
