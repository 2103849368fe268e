using ActionExec.PostgreSql.Tests.Support;
using Npgsql;

namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>Starts a throwaway server, runs the mode the command line names, prints its table and stops the server.</summary>
internal static class LoadRunner
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var mode = args.Length > 0 ? args[0] : string.Empty;
        if (mode is not ("queue-throughput" or "visibility" or "self-check"))
        {
            await output.WriteLineAsync("Give a mode: queue-throughput [--events N] [--rounds N], visibility [--changes N] or self-check.");
            return 2;
        }

        var server = new PostgresServer { ExtraSettings = StatementProfile.ServerSettings };
        try
        {
            await server.InitializeAsync();
            await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
            switch (mode)
            {
                case "queue-throughput":
                    var throughput = await QueueThroughput.RunAsync(server.ConnectionString, dataSource, BenchmarkOptions.Option(args, "--events", 2000), BenchmarkOptions.Option(args, "--rounds", 3));
                    await output.WriteLineAsync(throughput.ToMarkdown());
                    return 0;
                case "visibility":
                    var visibility = await VisibilityLatency.RunAsync(server.ConnectionString, "visibility", BenchmarkOptions.Option(args, "--changes", 200));
                    await output.WriteLineAsync(visibility.ToMarkdown());
                    return 0;
                default:
                    // Every mode on a small scale: it measures what it says (every event through, every change seen).
                    await QueueThroughput.RunAsync(server.ConnectionString, dataSource, events: 200, rounds: 1);
                    await VisibilityLatency.RunAsync(server.ConnectionString, "visibility", changes: 20);
                    await output.WriteLineAsync("self-check: every benchmark delivered every event and saw every change.");
                    return 0;
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
