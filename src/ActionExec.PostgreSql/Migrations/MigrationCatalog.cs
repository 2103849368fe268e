using System.Collections.Immutable;

namespace ActionExec.PostgreSql.Migrations;

/// <summary>Every migration of the schema, in version order. A released migration is never edited: a change is a new version.</summary>
internal static class MigrationCatalog
{
    /// <summary>What every migration runs first, under the lock: the schema and the table that records applied versions.</summary>
    public const string Preamble = """
        CREATE SCHEMA IF NOT EXISTS {schema};
        CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
            version integer PRIMARY KEY,
            description text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    public static ImmutableArray<Migration> All { get; } =
    [
        new(1, "tenants, targets, executions and applied changes", """
            CREATE TABLE IF NOT EXISTS {schema}.tenants (
                tenant_id text PRIMARY KEY,
                sequence bigint NOT NULL CHECK (sequence > 0),
                change_date timestamptz NOT NULL
            );
            CREATE TABLE IF NOT EXISTS {schema}.targets (
                tenant_id text NOT NULL REFERENCES {schema}.tenants (tenant_id) ON DELETE CASCADE,
                target_id text NOT NULL,
                name text NOT NULL,
                endpoint text NOT NULL,
                target_type text NOT NULL,
                timeout interval NOT NULL,
                interrupt_on_error boolean NOT NULL,
                payload_type text NOT NULL,
                signature_scheme text NOT NULL,
                creation_date timestamptz NOT NULL,
                change_date timestamptz NOT NULL,
                sequence bigint NOT NULL,
                protected_signing_key text NOT NULL,
                PRIMARY KEY (tenant_id, target_id)
            );
            CREATE TABLE IF NOT EXISTS {schema}.executions (
                tenant_id text NOT NULL REFERENCES {schema}.tenants (tenant_id) ON DELETE CASCADE,
                condition_id text NOT NULL,
                entries text[] NOT NULL,
                sequence bigint NOT NULL,
                change_date timestamptz NOT NULL,
                resource_owner text NOT NULL,
                PRIMARY KEY (tenant_id, condition_id)
            );
            CREATE TABLE IF NOT EXISTS {schema}.applied_changes (
                change_id uuid PRIMARY KEY,
                tenant_id text NOT NULL,
                sequence bigint NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX IF NOT EXISTS applied_changes_tenant_sequence ON {schema}.applied_changes (tenant_id, sequence);
            """),
    ];

    public static int LatestVersion => All[^1].Version;

    /// <summary>The statement that takes the transaction-scoped advisory lock of a schema's migrations.</summary>
    public static string LockSql(string schema) => $"SELECT pg_advisory_xact_lock(hashtextextended('{SchemaName.LockName(schema)}', 0));";

    /// <summary>The statement that records a migration as applied; a second run changes nothing.</summary>
    public static string RecordSql(string schema, Migration migration) =>
        $"INSERT INTO {schema}.schema_migrations (version, description) VALUES ({migration.Version}, '{migration.Description.Replace("'", "''", StringComparison.Ordinal)}') ON CONFLICT (version) DO NOTHING;";
}
