using ActionExec.Storage;

namespace ActionExec.Tests.Storage;

/// <summary>The store contract, met by the in-memory store; one instance is what several engines of one process share.</summary>
public sealed class InMemoryActionStoreTests : ActionStoreContract
{
    protected override Task<IActionStore> CreateStoreAsync() => Task.FromResult<IActionStore>(new InMemoryActionStore());

    protected override Task<IActionStore> OpenAnotherInstanceAsync(IActionStore store) => Task.FromResult(store);
}
