namespace ActionExec.PostgreSql.Tests.Support;

/// <summary>Every class that needs PostgreSQL shares one server for the run; each test works in a schema of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
