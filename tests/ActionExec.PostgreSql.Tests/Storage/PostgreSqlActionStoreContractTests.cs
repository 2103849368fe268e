using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Storage;
using ActionExec.Tests.Storage;

namespace ActionExec.PostgreSql.Tests.Storage;

/// <summary>The store contract, met by the PostgreSQL store; another instance is another host over the same schema.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlActionStoreContractTests(PostgresServer server) : ActionStoreContract
{
    private readonly List<StoreInstance> _instances = [];
    private readonly Dictionary<IActionStore, string> _schemas = [];

    protected override Task<IActionStore> CreateStoreAsync() => Task.FromResult(Open(PostgresServer.NewSchema()));

    protected override Task<IActionStore> OpenAnotherInstanceAsync(IActionStore store) => Task.FromResult(Open(_schemas[store]));

    public override async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    private IActionStore Open(string schema)
    {
        var instance = StoreInstance.Create(server, schema);
        _instances.Add(instance);
        var store = instance.ActionStore;
        _schemas[store] = schema;
        return store;
    }
}
