using System.Text.Json;
using ActionExec.Management;
using ActionExec.TestConsole;
using NSubstitute;

namespace ActionExec.Tests.TestConsole;

/// <summary>A host's admin tool that runs the console is unit-tested with a substitute.</summary>
public sealed class IActionTestConsoleTests
{
    [Fact]
    public async Task ExecuteAsync_Substitute_HostToolReportsTheTargetsStatus()
    {
        var console = Substitute.For<IActionTestConsole>();
        using var body = JsonDocument.Parse("""{"ok":true}""");
        console.ExecuteAsync(Arg.Any<ManagementCaller>(), "audit", Arg.Any<ConsoleRequest>(), Arg.Any<CancellationToken>())
            .Returns(new ConsoleResponse { StatusCode = 202, Body = body.RootElement.Clone() });
        var caller = ManagementCaller.ForHost("tenant-1");

        var status = await PingAsync(console, caller, "audit");

        Assert.Equal(202, status);
        await console.Received(1).ExecuteAsync(caller, "audit", Arg.Is<ConsoleRequest>(r => r.Method == "POST"), Arg.Any<CancellationToken>());
    }

    /// <summary>What a host writes: sends a synthetic POST to a target and reports the status it answered.</summary>
    private static async Task<int> PingAsync(IActionTestConsole console, ManagementCaller caller, string target)
    {
        var response = await console.ExecuteAsync(caller, target, new ConsoleRequest { Method = "POST" });
        return response.StatusCode;
    }
}
