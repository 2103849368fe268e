using System.Diagnostics;
using Xunit.Sdk;

namespace ActionExec.Tests.Delivery;

/// <summary>Waits for a condition that background work makes true, with a generous limit so a slow machine does not fail the test.</summary>
public static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Limit)
            {
                throw new XunitException($"Gave up waiting until {what}.");
            }

            await Task.Delay(2);
        }
    }
}
