namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>One path at one number of consumers: events per second of its best round and its median round.</summary>
internal sealed record ThroughputRow(string Path, int Consumers, int Events, int Rounds, double Best, double Median)
{
    public static ThroughputRow Of(string path, int consumers, int events, List<TimeSpan> rounds)
    {
        var rates = rounds.Select(r => events / r.TotalSeconds).Order().ToList();
        return new(path, consumers, events, rounds.Count, rates[^1], rates[rates.Count / 2]);
    }
}
