using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ActionExec.PostgreSql.Migrations;

/// <summary>
/// Applies the migrations of one schema, each in its own transaction under the schema's advisory lock, so that several
/// instances starting at once apply each migration exactly once; or, with migrations off, checks that the schema is current.
/// </summary>
internal sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, string schema, ILogger logger)
{
    /// <summary>Applies every migration not yet recorded; returns how many this call applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var migration in MigrationCatalog.All)
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await ExecuteAsync(connection, MigrationCatalog.LockSql(schema), cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, MigrationCatalog.Preamble.Replace("{schema}", schema, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
                    var exists = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {schema}.schema_migrations WHERE version = $1)", connection)
                    {
                        Parameters = { new() { Value = migration.Version } },
                    };
                    await using (exists.ConfigureAwait(false))
                    {
                        if ((bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                        {
                            continue;
                        }
                    }

                    await ExecuteAsync(connection, migration.SqlFor(schema), cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, MigrationCatalog.RecordSql(schema, migration), cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    applied++;
                    LogMigrationApplied(schema, migration.Version, migration.Description);
                }
            }
        }

        return applied;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> saying what to run when the schema is older than this package needs.</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var query = new NpgsqlCommand(
                "SELECT CASE WHEN to_regclass($1) IS NULL THEN 0 ELSE 1 END",
                connection)
            {
                Parameters = { new() { Value = schema + ".schema_migrations" } },
            };
            int version;
            await using (query.ConfigureAwait(false))
            {
                version = (int)(await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            if (version != 0)
            {
                var max = new NpgsqlCommand($"SELECT COALESCE(max(version), 0) FROM {schema}.schema_migrations", connection);
                await using (max.ConfigureAwait(false))
                {
                    version = (int)(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }
            }

            if (version < MigrationCatalog.LatestVersion)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The ActionExec schema '{schema}' is at version {version}, but ActionExec.PostgreSql needs version {MigrationCatalog.LatestVersion}, and PostgreSqlStoreOptions.RunMigrations is off. Apply the script of PostgreSqlSchema.GetMigrationScript(\"{schema}\"), or set RunMigrations to true."));
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Applied migration {Version} ({Description}) to the ActionExec schema {Schema}.")]
    private partial void LogMigrationApplied(string schema, int version, string description);
}
