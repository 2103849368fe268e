namespace ActionExec.Tests.Support;

/// <summary>Where the tests' clocks start (<c>new FakeTimeProvider(TestTime.Start)</c>), so dates in answers are known to the millisecond.</summary>
public static class TestTime
{
    public static readonly DateTimeOffset Start = new(2024, 12, 18, 7, 50, 47, 492, TimeSpan.Zero);
}
