using System.Globalization;
using System.Text;

namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>The rows of a throughput run, each path beside the baseline with the same number of consumers.</summary>
internal sealed record ThroughputFigures(IReadOnlyList<ThroughputRow> Rows, IReadOnlyList<string> Profiles)
{
    /// <summary>The goal of issue 10: the durable queue at 70 % of the baseline or more.</summary>
    public const double Goal = 0.70;

    public string ToMarkdown()
    {
        var table = new StringBuilder();
        table.AppendLine("| Path | Consumers | Events per round | Rounds | Events/s (best) | Events/s (median) | Share of baseline (best) |");
        table.Append("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in Rows)
        {
            var baseline = Rows.First(r => r.Consumers == row.Consumers);
            var measured = row.Path.StartsWith("durable queue: publish →", StringComparison.Ordinal);
            var share = row.Best / baseline.Best;
            table.AppendLine().Append(string.Create(
                CultureInfo.InvariantCulture,
                $"| {row.Path} | {row.Consumers} | {row.Events} | {row.Rounds} | {row.Best:N0} | {row.Median:N0} | {share:P0}{(!measured ? string.Empty : share >= Goal ? " (goal ≥ 70 %: met)" : " (goal ≥ 70 %: missed)")} |"));
        }

        foreach (var profile in Profiles)
        {
            table.AppendLine().AppendLine().Append(profile);
        }

        return table.ToString();
    }
}
