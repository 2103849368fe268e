using System.Globalization;
using System.Text;
using Npgsql;

namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>
/// Where the database time of a throughput run went, from <c>pg_stat_statements</c>: every statement on the tables of one schema,
/// with its calls per event and its mean time. Explains a gap to the baseline by the round trips each path makes.
/// </summary>
internal static class StatementProfile
{
    public const string ServerSettings = "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all";

    public static async Task ResetAsync(NpgsqlDataSource dataSource)
    {
        await using var create = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()");
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>The statements whose text names <paramref name="schema"/>, as a table, per event of <paramref name="events"/>.</summary>
    public static async Task<string> DescribeAsync(NpgsqlDataSource dataSource, string schema, long events)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT calls, mean_exec_time, regexp_replace(query, '\s+', ' ', 'g')
            FROM pg_stat_statements WHERE query LIKE '%' || $1 || '.%' ORDER BY calls DESC, total_exec_time DESC
            """);
        command.Parameters.Add(new() { Value = schema });
        var table = new StringBuilder();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Statements on schema `{schema}`, {events:N0} events:"));
        table.AppendLine();
        table.AppendLine("| Statement | Calls per event | Mean time |");
        table.Append("|---|---:|---:|");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // The set-up (migrations, the target and the execution) ran once, not per event.
            if (reader.GetInt64(0) < events / 100)
            {
                continue;
            }

            var text = reader.GetString(2).Replace(schema + ".", string.Empty, StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);
            table.AppendLine().Append(string.Create(
                CultureInfo.InvariantCulture,
                $"| `{(text.Length > 110 ? text[..110] + "…" : text)}` | {reader.GetInt64(0) / (double)events:0.00} | {reader.GetDouble(1):0.000} ms |"));
        }

        return table.ToString();
    }
}
