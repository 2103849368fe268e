using System.Globalization;

namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>The percentiles of the visibility latencies of one run.</summary>
internal sealed record VisibilityFigures(int Changes, TimeSpan P50, TimeSpan P90, TimeSpan P99, TimeSpan Max)
{
    /// <summary>The goal of issue 10: p99 at most 100 ms on loopback.</summary>
    public static readonly TimeSpan P99Goal = TimeSpan.FromMilliseconds(100);

    public bool MeetsGoal => P99 <= P99Goal;

    public static VisibilityFigures Of(List<TimeSpan> latencies)
    {
        latencies.Sort();
        return new(latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99), latencies[^1]);
    }

    public string ToMarkdown() => string.Join(
        Environment.NewLine,
        "| Changes | p50 | p90 | p99 | max | Goal p99 ≤ 100 ms |",
        "|---:|---:|---:|---:|---:|---|",
        string.Create(CultureInfo.InvariantCulture, $"| {Changes} | {Ms(P50)} | {Ms(P90)} | {Ms(P99)} | {Ms(Max)} | {(MeetsGoal ? "met" : "missed")} |"));

    private static string Ms(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:F1} ms");

    /// <summary>The nearest-rank percentile.</summary>
    private static TimeSpan Percentile(List<TimeSpan> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
