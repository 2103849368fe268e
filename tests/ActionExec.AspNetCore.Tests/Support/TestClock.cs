namespace ActionExec.AspNetCore.Tests.Support;

/// <summary>
/// A wall clock that a test sets, so that dates in answers are known to the millisecond. Timers and timestamps stay the system's,
/// so that target timeouts still fire.
/// </summary>
public sealed class TestClock : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2024, 12, 18, 7, 50, 47, 492, TimeSpan.Zero);

    private long _utcTicks = Start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _utcTicks, now.UtcTicks);
}
