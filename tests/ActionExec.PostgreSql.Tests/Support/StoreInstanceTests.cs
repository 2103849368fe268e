namespace ActionExec.PostgreSql.Tests.Support;

/// <summary>
/// A test class whose tests open host instances on one schema of their own in the shared server; every instance opened is
/// disposed after the test.
/// </summary>
public abstract class StoreInstanceTests(PostgresServer server) : IAsyncLifetime
{
    private readonly List<StoreInstance> _instances = [];

    /// <summary>The shared server.</summary>
    protected PostgresServer Server { get; } = server;

    /// <summary>This test's own schema.</summary>
    protected string Schema { get; } = PostgresServer.NewSchema();

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    /// <summary>Keeps <paramref name="instance"/> to dispose after the test.</summary>
    private protected StoreInstance Track(StoreInstance instance)
    {
        _instances.Add(instance);
        return instance;
    }
}
