namespace ActionExec.PostgreSql.Migrations;

/// <summary>
/// One versioned change of the schema. Its SQL must be idempotent (<c>IF NOT EXISTS</c> and the like), so that the script a
/// DBA applies can be run again, and it names the schema only through the <c>{schema}</c> placeholder.
/// </summary>
internal sealed record Migration(int Version, string Description, string Sql)
{
    public string SqlFor(string schema) => Sql.Replace("{schema}", schema, StringComparison.Ordinal);
}
