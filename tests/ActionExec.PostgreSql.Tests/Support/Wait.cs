using System.Diagnostics;
using Xunit.Sdk;

namespace ActionExec.PostgreSql.Tests.Support;

/// <summary>Waits for what background work makes true, with a limit generous enough for a slow machine.</summary>
internal static class Wait
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static async Task<TimeSpan> UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Limit)
            {
                throw new XunitException($"Gave up waiting until {what}.");
            }

            await Task.Delay(1);
        }

        return clock.Elapsed;
    }

    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Limit)
            {
                throw new XunitException($"Gave up waiting until {what}.");
            }

            await Task.Delay(10);
        }

        return clock.Elapsed;
    }
}
