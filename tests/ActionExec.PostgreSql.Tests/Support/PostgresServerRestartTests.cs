using Npgsql;

namespace ActionExec.PostgreSql.Tests.Support;

/// <summary>The shared server restarts as an operator would restart it, for the tests that restart it under load.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerRestartTests(PostgresServer server)
{
    [Fact]
    public async Task StopAsync_ThenStartAsync_CutsConnectionsAndKeepsTheDataOnTheSamePort()
    {
        var table = PostgresServer.NewSchema();
        await server.ScalarAsync($"CREATE TABLE public.{table} (n int); INSERT INTO public.{table} VALUES (42)");
        var port = server.Port;
        await using var cut = await server.OpenAsync();

        await server.StopAsync();
        var refused = await Record.ExceptionAsync(server.OpenAsync);
        await server.StartAsync();

        Assert.IsAssignableFrom<NpgsqlException>(refused);
        await using var command = new NpgsqlCommand("SELECT 1", cut);
        Assert.IsAssignableFrom<NpgsqlException>(await Record.ExceptionAsync(() => command.ExecuteScalarAsync()));
        Assert.Equal(port, server.Port);
        Assert.Equal(42, await server.ScalarAsync($"SELECT n FROM public.{table}"));
        await server.ScalarAsync($"DROP TABLE public.{table}");
    }
}
