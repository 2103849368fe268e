using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace ActionExec.Samples.Tests.Support;

/// <summary>
/// The WebApi sample as a process of its own, as a user starts it: <c>dotnet ActionExec.Samples.WebApi.dll</c> (built beside the
/// tests), configured only by environment variables, on a loopback port of its own choosing that it logs. Killed when disposed.
/// </summary>
public sealed partial class SampleProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private SampleProcess(Process process, ConcurrentQueue<string> output, Uri address)
    {
        _process = process;
        _output = output;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    /// <summary>Everything the process wrote, standard output and error, line by line.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the sample with <paramref name="environment"/> on top of this process's environment and waits until it listens.</summary>
    public static async Task<SampleProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ActionExec.Samples.WebApi.dll"));
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) => Read(line.Data);
        process.ErrorDataReceived += (_, line) => Read(line.Data);
        process.Exited += (_, _) => listening.TrySetException(new XunitException("The sample exited before it listened."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var address = await listening.Task.WaitAsync(StartLimit);
            return new SampleProcess(process, output, address);
        }
        catch (Exception e) when (e is XunitException or TimeoutException)
        {
            Stop(process);
            process.Dispose();
            throw new XunitException($"The sample did not start: {e.Message}\n{string.Join('\n', output)}", e);
        }

        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            if (ListensOn().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["address"].Value));
            }
        }
    }

    /// <summary>Sends a request; a body is sent as <c>application/json</c>, credentials as <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string? key = SampleHost.AdminKey)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Stop(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }

    /// <summary>The <c>dotnet</c> host the tests run on, so that the sample runs on the same runtime.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.Ordinal) ? path : "dotnet";

    [GeneratedRegex(@"listens on (?<address>http://127\.0\.0\.1:[0-9]+)", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ListensOn();
}
