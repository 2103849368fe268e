using Npgsql;

namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>
/// Enqueue → delivered per second, with 1 and 4 consumers: the baseline loop (<see cref="BaselineQueue"/>) and the durable queue
/// in alternating rounds on the same database, so both see the same background load; each row is the best round (the least
/// disturbed by whatever else ran on the machine), with the median beside it.
/// </summary>
internal static class QueueThroughput
{
    public const int Producers = 2;

    private static readonly byte[] Payload = """{"orderId":"69629023906488334","total":42,"currency":"EUR"}"""u8.ToArray();

    public static async Task<ThroughputFigures> RunAsync(string connectionString, NpgsqlDataSource dataSource, int events, int rounds)
    {
        await using (var create = dataSource.CreateCommand("CREATE SCHEMA IF NOT EXISTS baseline"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var baseline = new BaselineQueue(dataSource, "baseline");
        await baseline.CreateAsync();
        await StatementProfile.ResetAsync(dataSource);
        var rows = new List<ThroughputRow>();
        foreach (var consumers in new[] { 1, 4 })
        {
            // A schema of its own per number of workers, so each starts with an empty history.
            await using var durable = await DurableQueueRun.StartAsync(connectionString, "queue_" + consumers, consumers);
            var baselineRounds = new List<TimeSpan>();
            var durableRounds = new List<TimeSpan>();
            var publishing = new List<TimeSpan>();

            // One warm-up round of each first (JIT, prepared statements, the server's caches).
            await baseline.RunAsync(Math.Max(1, events / 4), Producers, consumers, consumers, Payload);
            await durable.RunAsync(Math.Max(1, events / 4), Producers, Payload);
            for (var round = 0; round < rounds; round++)
            {
                baselineRounds.Add(await baseline.RunAsync(events, Producers, consumers, consumers, Payload));
                durableRounds.Add(await durable.RunAsync(events, Producers, Payload));
                publishing.Add(durable.PublishedAfter);
            }

            rows.Add(ThroughputRow.Of("baseline: INSERT / DELETE … SKIP LOCKED", consumers, events, baselineRounds));
            rows.Add(ThroughputRow.Of("durable queue: publish → lease → deliver → complete", consumers, events, durableRounds));
            rows.Add(ThroughputRow.Of("durable queue: publishing alone (enqueues while the worker runs)", consumers, events, publishing));
        }

        // Every path saw the warm-up and the rounds: a quarter of the events and then all of them, once per number of consumers.
        var perPath = (long)(Math.Max(1, events / 4) + (rounds * events));
        var profiles = new List<string>
        {
            await StatementProfile.DescribeAsync(dataSource, "baseline", perPath * 2),
            await StatementProfile.DescribeAsync(dataSource, "queue_1", perPath),
            await StatementProfile.DescribeAsync(dataSource, "queue_4", perPath),
        };
        return new ThroughputFigures(rows, profiles);
    }
}
