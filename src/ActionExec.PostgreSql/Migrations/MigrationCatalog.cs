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

        // A delivery is one row from its enqueue until retention purges it. status: 0 pending, 1 delivered, 2 dead-lettered.
        // A lease sets lease_id and moves due_at to the lease's end, so "due" is the one test of the lease query, which the
        // partial index answers: a delivery whose lease ran out is simply due again. Every later change names the lease id.
        new(2, "deliveries and their attempts", """
            CREATE TABLE IF NOT EXISTS {schema}.deliveries (
                id text PRIMARY KEY,
                tenant_id text NOT NULL,
                source text NOT NULL,
                target_ids text[] NOT NULL,
                payload bytea NOT NULL,
                created_at timestamptz NOT NULL,
                replayed_at timestamptz,
                replays integer NOT NULL DEFAULT 0,
                status smallint NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),
                due_at timestamptz NOT NULL,
                lease_id uuid,
                leased_until timestamptz,
                next_target integer NOT NULL DEFAULT 0,
                attempts integer NOT NULL DEFAULT 0,
                last_status integer,
                last_reason text,
                given_up_target_ids text[] NOT NULL DEFAULT '{}',
                updated_at timestamptz NOT NULL
            );
            CREATE INDEX IF NOT EXISTS deliveries_due ON {schema}.deliveries (due_at) WHERE status = 0;
            CREATE INDEX IF NOT EXISTS deliveries_tenant_created ON {schema}.deliveries (tenant_id, created_at DESC);
            CREATE INDEX IF NOT EXISTS deliveries_finished ON {schema}.deliveries (updated_at) WHERE status <> 0;
            CREATE TABLE IF NOT EXISTS {schema}.delivery_attempts (
                delivery_id text NOT NULL REFERENCES {schema}.deliveries (id) ON DELETE CASCADE,
                seq bigint GENERATED ALWAYS AS IDENTITY,
                tenant_id text NOT NULL,
                target_id text NOT NULL,
                attempt integer NOT NULL,
                started_at timestamptz NOT NULL,
                duration interval NOT NULL,
                outcome smallint NOT NULL CHECK (outcome IN (0, 1, 2)),
                status_code integer,
                reason text,
                response_body text,
                PRIMARY KEY (delivery_id, seq)
            );
            """),

        // Rows written before it read their change date as their creation date (the store coalesces).
        new(3, "the date an execution was first set", """
            ALTER TABLE {schema}.executions ADD COLUMN IF NOT EXISTS creation_date timestamptz;
            """),

        // A target's public keys, in its order (position), removed with it. Public material: stored as given, unencrypted.
        // Whether a key counts as active also depends on expiration_date, which is compared with the host's clock when read.
        new(4, "public keys of targets", """
            CREATE TABLE IF NOT EXISTS {schema}.target_public_keys (
                tenant_id text NOT NULL,
                target_id text NOT NULL,
                key_id text NOT NULL,
                position integer NOT NULL,
                public_key text NOT NULL,
                fingerprint text NOT NULL,
                active boolean NOT NULL,
                expiration_date timestamptz,
                creation_date timestamptz NOT NULL,
                change_date timestamptz NOT NULL,
                PRIMARY KEY (tenant_id, target_id, key_id),
                FOREIGN KEY (tenant_id, target_id) REFERENCES {schema}.targets (tenant_id, target_id) ON DELETE CASCADE
            );
            """),
    ];

    public static int LatestVersion => All[^1].Version;

    /// <summary>The statement that takes the transaction-scoped advisory lock of a schema's migrations.</summary>
    public static string LockSql(string schema) => $"SELECT pg_advisory_xact_lock(hashtextextended('{SchemaName.LockName(schema)}', 0));";

    /// <summary>The statement that records a migration as applied; a second run changes nothing.</summary>
    public static string RecordSql(string schema, Migration migration) =>
        $"INSERT INTO {schema}.schema_migrations (version, description) VALUES ({migration.Version}, '{migration.Description.Replace("'", "''", StringComparison.Ordinal)}') ON CONFLICT (version) DO NOTHING;";
}
