using System.Diagnostics;
using System.Globalization;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>
/// How long a change made on instance A takes to show in instance B's snapshot: A renames a target, B is asked for it through its
/// management API (answered from its snapshot, not the database) until it has the new name. B hears of the change by NOTIFY; its
/// poll interval is left at 5 s, so any change that waited for the poll shows as a latency of seconds. B is checked every
/// millisecond, so the figures have that resolution.
/// </summary>
internal static class VisibilityLatency
{
    private const string Tenant = "visibility";

    public static async Task<VisibilityFigures> RunAsync(string connectionString, string schema, int changes)
    {
        await using var a = await BenchInstance.StartAsync(connectionString, schema);
        await using var b = await BenchInstance.StartAsync(connectionString, schema);
        var caller = ManagementCaller.ForHost(Tenant);
        var onA = a.Services.GetRequiredService<IActionManagement>();
        var onB = b.Services.GetRequiredService<IActionManagement>();
        var created = await onA.CreateTargetAsync(caller, new TargetSpec
        {
            Name = "v-0",
            Endpoint = "https://visibility.example.com/hook",
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(1),
        });
        var id = created.Target.Id;

        // B loads the tenant and so listens for it; the first changes also warm up both paths and are not counted.
        await onB.GetTargetAsync(caller, id);
        const int Warmup = 10;
        var latencies = new List<TimeSpan>(changes);
        for (var i = 1; i <= changes + Warmup; i++)
        {
            var name = "v-" + i.ToString(CultureInfo.InvariantCulture);
            await onA.UpdateTargetAsync(caller, id, new TargetUpdate { Name = name });
            var clock = Stopwatch.StartNew();
            while (!string.Equals((await onB.GetTargetAsync(caller, id)).Name, name, StringComparison.Ordinal))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new InvalidOperationException($"Instance B did not see change {i} within 30 s.");
                }

                await Task.Delay(1);
            }

            if (i > Warmup)
            {
                latencies.Add(clock.Elapsed);
            }
        }

        return VisibilityFigures.Of(latencies);
    }
}
