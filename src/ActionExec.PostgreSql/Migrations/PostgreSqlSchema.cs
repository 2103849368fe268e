using System.Globalization;
using System.Text;

namespace ActionExec.PostgreSql.Migrations;

/// <summary>The SQL of the store's schema, for a DBA who applies it by hand (with <see cref="PostgreSqlStoreOptions.RunMigrations"/> off).</summary>
public static class PostgreSqlSchema
{
    /// <summary>The version of the schema this package needs; the host checks the <c>schema_migrations</c> table for it at start.</summary>
    public static int CurrentVersion => MigrationCatalog.LatestVersion;

    /// <summary>
    /// Returns the script that creates or upgrades the store's schema to <see cref="CurrentVersion"/>: every migration in its
    /// own transaction under the same advisory lock the hosts take, each recorded in <c>schema_migrations</c>. The script is
    /// idempotent: running it again, or on a schema a host already migrated, changes nothing.
    /// </summary>
    /// <param name="schema">The schema, as in <see cref="PostgreSqlStoreOptions.Schema"/>; for example <c>actionexec</c>.</param>
    /// <returns>The SQL script, for <c>psql</c> or any client that runs several statements.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier of at most 40 characters.</exception>
    public static string GetMigrationScript(string schema)
    {
        SchemaName.ThrowIfInvalid(schema, nameof(schema));
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $"-- ActionExec.PostgreSql schema '{schema}', version {CurrentVersion}. Idempotent: safe to run again.\n");
        foreach (var migration in MigrationCatalog.All)
        {
            script.Append(CultureInfo.InvariantCulture, $"\n-- Migration {migration.Version}: {migration.Description}\n");
            script.Append("BEGIN;\n");
            script.Append(MigrationCatalog.LockSql(schema)).Append('\n');
            script.Append(MigrationCatalog.Preamble.Replace("{schema}", schema, StringComparison.Ordinal)).Append('\n');
            script.Append(migration.SqlFor(schema)).Append('\n');
            script.Append(MigrationCatalog.RecordSql(schema, migration)).Append('\n');
            script.Append("COMMIT;\n");
        }

        return script.ToString();
    }
}
