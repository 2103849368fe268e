using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ActionExec.PostgreSql.Tests.Support;
using Xunit.Sdk;

namespace ActionExec.PostgreSql.Tests.Durability;

/// <summary>
/// A host instance in a process of its own (<c>ActionExec.PostgreSql.WorkerHost</c>, built next to the tests), started with
/// <c>dotnet</c> and killed with SIGKILL, as a crashed replica dies: no shutdown, no lease handed back.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const string Assembly = "ActionExec.PostgreSql.WorkerHost.dll";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Everything the process wrote, for the message of a failed test.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts a worker over <paramref name="schema"/> of the tests' database and waits until its host runs. The arguments are
    /// configuration keys, as <c>ActionExec:Delivery:LeaseDuration=00:00:02</c>.
    /// </summary>
    public static async Task<WorkerProcess> StartAsync(PostgresServer server, string schema, string keyRing, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, Assembly));
        string[] arguments =
        [
            "ConnectionStrings:ActionExec=" + server.ConnectionString + ";Application Name=durability-worker",
            "ActionExec:PostgreSql:Schema=" + schema,
            "Worker:KeyRing=" + keyRing,
            "Worker:ParentProcessId=" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            .. settings,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add("--" + argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the worker process.");
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Received(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(worker._started.Task, process.WaitForExitAsync(), Task.Delay(Wait.Limit));
        if (started != worker._started.Task)
        {
            await worker.DisposeAsync();
            throw new XunitException($"The worker process did not start:{Environment.NewLine}{worker.Output}");
        }

        return worker;
    }

    /// <summary>Kills the process with SIGKILL and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (string.Equals(line, "started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }
}
