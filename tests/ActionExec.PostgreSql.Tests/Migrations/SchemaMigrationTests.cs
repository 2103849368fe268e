using ActionExec.PostgreSql.Migrations;
using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ActionExec.PostgreSql.Tests.Migrations;

/// <summary>Migrations on a real server: once each however often and however many instances run them, and the DBA's script.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SchemaMigrationTests(PostgresServer server)
{
    private readonly string _schema = PostgresServer.NewSchema();

    [Fact]
    public async Task MigrateAsync_RunTwice_AppliesEachMigrationOnce()
    {
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        var migrator = new SchemaMigrator(dataSource, _schema, NullLogger.Instance);

        var first = await migrator.MigrateAsync(CancellationToken.None);
        var second = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(PostgreSqlSchema.CurrentVersion, first);
        Assert.Equal(0, second);
        Assert.Equal((long)PostgreSqlSchema.CurrentVersion, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.schema_migrations"));
        await migrator.VerifyAsync(CancellationToken.None);
    }

    [Fact]
    public async Task MigrateAsync_SchemaAtVersion1_AddsTheLaterTablesOnly()
    {
        var first = MigrationCatalog.All[0];
        await using (var connection = await server.OpenAsync())
        {
            await using var command = new NpgsqlCommand(
                MigrationCatalog.Preamble.Replace("{schema}", _schema, StringComparison.Ordinal) + first.SqlFor(_schema) + MigrationCatalog.RecordSql(_schema, first),
                connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        var applied = await new SchemaMigrator(dataSource, _schema, NullLogger.Instance).MigrateAsync(CancellationToken.None);

        Assert.Equal(PostgreSqlSchema.CurrentVersion - 1, applied);
        Assert.Equal(PostgreSqlSchema.CurrentVersion, await server.ScalarAsync($"SELECT max(version) FROM {_schema}.schema_migrations"));
        Assert.Equal(0L, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.deliveries"));
        Assert.Equal(0L, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.delivery_attempts"));
        Assert.Equal(0L, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.target_public_keys"));
        Assert.Equal(0L, await server.ScalarAsync($"SELECT count(creation_date) FROM {_schema}.executions"));
        Assert.Equal(
            "deliveries_due deliveries_finished deliveries_pkey deliveries_tenant_created",
            await server.ScalarAsync($"SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes WHERE schemaname = '{_schema}' AND tablename = 'deliveries'"));
    }

    [Fact]
    public async Task MigrateAsync_SchemaAtVersion2WithATarget_AddsTheKeyTableAndTheTargetLoadsWithoutKeys()
    {
        await using (var connection = await server.OpenAsync())
        {
            var sql = MigrationCatalog.Preamble.Replace("{schema}", _schema, StringComparison.Ordinal);
            foreach (var migration in MigrationCatalog.All.Where(m => m.Version <= 2))
            {
                sql += migration.SqlFor(_schema) + MigrationCatalog.RecordSql(_schema, migration);
            }

            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        await using (var before = StoreInstance.Create(server, _schema, o => o.RunMigrations = false))
        {
            // Written as a version-2 store would: the target row alone.
            await server.ScalarAsync($"""
                INSERT INTO {_schema}.tenants VALUES ('t', 1, now());
                INSERT INTO {_schema}.targets VALUES ('t', 'x', 'x', 'https://x.example.com', 'webhook', '1 second', false, 'json', 'zitadel', now(), now(), 1,
                    '{before.Provider.GetRequiredService<ActionExec.PostgreSql.Security.ISigningKeyProtector>().Protect("key")}');
                """);
        }

        await using var instance = StoreInstance.Create(server, _schema);
        var state = await instance.Store.LoadAsync("t", CancellationToken.None);

        Assert.Equal(MigrationCatalog.LatestVersion, await server.ScalarAsync($"SELECT max(version) FROM {_schema}.schema_migrations"));
        Assert.Empty(Assert.Single(state.Targets).PublicKeys);
        Assert.Equal(0L, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.target_public_keys"));
    }

    [Fact]
    public async Task MigrateAsync_FromFourInstancesAtOnce_AppliesEachMigrationOnceAndNoneFails()
    {
        var dataSources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(server.ConnectionString)).ToArray();
        try
        {
            using var start = new ManualResetEventSlim();
            var runs = dataSources.Select(d => Task.Run(async () =>
            {
                start.Wait();
                return await new SchemaMigrator(d, _schema, NullLogger.Instance).MigrateAsync(CancellationToken.None);
            })).ToArray();
            start.Set();

            var applied = await Task.WhenAll(runs);

            Assert.Equal(PostgreSqlSchema.CurrentVersion, applied.Sum());
            Assert.Equal((long)PostgreSqlSchema.CurrentVersion, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.schema_migrations"));
        }
        finally
        {
            foreach (var dataSource in dataSources)
            {
                await dataSource.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task GetMigrationScript_AppliedTwiceByADba_GivesASchemaTheStoreUsesWithMigrationsOff()
    {
        var script = PostgreSqlSchema.GetMigrationScript(_schema);
        for (var run = 0; run < 2; run++)
        {
            await using var connection = await server.OpenAsync();
            await using var command = new NpgsqlCommand(script, connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var instance = StoreInstance.Create(server, _schema, o => o.RunMigrations = false);
        await instance.Store.CommitAsync(new TenantChange { TenantId = "t", ExpectedSequence = 0, ChangeDate = DateTimeOffset.UnixEpoch }, CancellationToken.None);

        Assert.Equal(1UL, await instance.Store.GetSequenceAsync("t", CancellationToken.None));
        Assert.Equal((long)PostgreSqlSchema.CurrentVersion, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.schema_migrations"));
    }

    [Fact]
    public async Task EnsureReadyAsync_MigrationsOffAndTheSchemaMissing_FailsNamingTheScriptAndTheOption()
    {
        await using var instance = StoreInstance.Create(server, _schema, o => o.RunMigrations = false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => instance.Store.EnsureReadyAsync(CancellationToken.None));

        Assert.Contains($"'{_schema}' is at version 0", error.Message, StringComparison.Ordinal);
        Assert.Contains($"PostgreSqlSchema.GetMigrationScript(\"{_schema}\")", error.Message, StringComparison.Ordinal);
        Assert.Contains("RunMigrations", error.Message, StringComparison.Ordinal);
        Assert.Equal(DBNull.Value, await server.ScalarAsync($"SELECT to_regnamespace('{_schema}')::text"));
    }
}
