using System.Diagnostics;
using Npgsql;

namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>
/// The baseline of the queue's throughput: the least a PostgreSQL queue can do, written by hand on the same database. Producers
/// insert one row per event (<c>INSERT</c>, as an enqueue does); consumers take a batch of due rows and remove them in one
/// statement (<c>DELETE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING</c>). No lease, no history, no
/// delivery: what is left over it in the durable queue is what leasing, completing and recording cost.
/// </summary>
internal sealed class BaselineQueue(NpgsqlDataSource dataSource, string schema)
{
    private readonly string _insert = $"INSERT INTO {schema}.baseline_queue (due_at, payload) VALUES ($1, $2)";
    private readonly string _take = $"""
        DELETE FROM {schema}.baseline_queue WHERE id IN (
            SELECT id FROM {schema}.baseline_queue WHERE due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id, payload
        """;

    public async Task CreateAsync()
    {
        await using var command = dataSource.CreateCommand($"""
            CREATE TABLE {schema}.baseline_queue (id bigserial PRIMARY KEY, due_at timestamptz NOT NULL, payload bytea NOT NULL);
            CREATE INDEX ON {schema}.baseline_queue (due_at);
            """);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Pushes <paramref name="events"/> rows through <paramref name="producers"/> producers and <paramref name="consumers"/> consumers; returns how long it took.</summary>
    public async Task<TimeSpan> RunAsync(int events, int producers, int consumers, int batch, byte[] payload)
    {
        var produced = 0;
        var consumed = 0;
        var clock = Stopwatch.StartNew();
        var producing = Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand(_insert, connection) { Parameters = { new() { Value = DateTimeOffset.UtcNow }, new() { Value = payload } } };
            await insert.PrepareAsync();
            while (Interlocked.Increment(ref produced) <= events)
            {
                insert.Parameters[0].Value = DateTimeOffset.UtcNow;
                await insert.ExecuteNonQueryAsync();
            }
        }));
        var consuming = Enumerable.Range(0, consumers).Select(consumer => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var take = new NpgsqlCommand(_take, connection) { Parameters = { new() { Value = DateTimeOffset.UtcNow }, new() { Value = batch } } };
            await take.PrepareAsync();
            while (Volatile.Read(ref consumed) < events)
            {
                take.Parameters[0].Value = DateTimeOffset.UtcNow;
                var taken = 0;
                await using (var reader = await take.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        _ = reader.GetFieldValue<byte[]>(1);
                        taken++;
                    }
                }

                if (taken == 0)
                {
                    // Nothing due: a worker waits for a notification; a short sleep stands for it without hammering the table.
                    await Task.Delay(1);
                }
                else
                {
                    Interlocked.Add(ref consumed, taken);
                }
            }
        }));
        await Task.WhenAll([.. producing, .. consuming]);
        var elapsed = clock.Elapsed;
        return consumed == events
            ? elapsed
            : throw new InvalidOperationException($"The baseline consumed {consumed} rows of {events}.");
    }
}
