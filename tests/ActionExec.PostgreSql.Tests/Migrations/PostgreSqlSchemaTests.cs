using ActionExec.PostgreSql.Migrations;

namespace ActionExec.PostgreSql.Tests.Migrations;

public sealed class PostgreSqlSchemaTests
{
    [Fact]
    public void GetMigrationScript_EveryMigration_InItsOwnTransactionUnderTheLockAndRecorded()
    {
        var script = PostgreSqlSchema.GetMigrationScript("billing_actions");

        Assert.Equal(PostgreSqlSchema.CurrentVersion, Count(script, "BEGIN;"));
        Assert.Equal(PostgreSqlSchema.CurrentVersion, Count(script, "COMMIT;"));
        Assert.Equal(PostgreSqlSchema.CurrentVersion, Count(script, "pg_advisory_xact_lock(hashtextextended('actionexec.migrations.billing_actions', 0))"));
        Assert.Equal(PostgreSqlSchema.CurrentVersion, Count(script, "INSERT INTO billing_actions.schema_migrations"));
        Assert.Contains("CREATE TABLE IF NOT EXISTS billing_actions.targets", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE IF NOT EXISTS billing_actions.deliveries", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE IF NOT EXISTS billing_actions.delivery_attempts", script, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE billing_actions.executions ADD COLUMN IF NOT EXISTS creation_date", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE IF NOT EXISTS billing_actions.target_public_keys", script, StringComparison.Ordinal);
        Assert.DoesNotContain("{schema}", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("1starts_with_a_digit")]
    [InlineData("has-dash")]
    [InlineData("x; DROP TABLE users")]
    [InlineData("a_name_that_is_much_longer_than_forty_chars")]
    public void GetMigrationScript_SchemaNotAPlainIdentifier_ThrowsNamingTheParameter(string schema)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgreSqlSchema.GetMigrationScript(schema));

        Assert.Equal("schema", error.ParamName);
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
