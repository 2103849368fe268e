namespace ActionExec.PostgreSql.Tests.Support;

/// <summary>The test fixture's part of the server: xunit starts it before the first test of the collection and stops it after the last.</summary>
public sealed partial class PostgresServer : IAsyncLifetime;
