using ActionExec.Tests.Support;

namespace ActionExec.Tests.Reliability;

/// <summary>One <see cref="FaultServer"/> shared by the tests of a class; each test uses its own paths under the fault routes.</summary>
public sealed class FaultServerFixture : IAsyncLifetime
{
    public FaultServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await FaultServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
