using System.Diagnostics;
using System.Globalization;

namespace ActionExec.Benchmarks.Http;

/// <summary>
/// A load run of the two HTTP paths of <see cref="HttpTargetBenchmarks"/>, for when a throughput figure over seconds says more than
/// a mean per call: <c>dotnet run -c Release --project benchmarks/ActionExec.Core.Benchmarks -- http-load --seconds 10 --concurrency 1</c>.
/// The raw and the signed path run in alternating slices of a tenth of a second, <c>--seconds</c> seconds each in all, so that both
/// see the same background load on a shared machine; each reports requests per second over its slices, and the signed path's
/// share of the raw one.
/// </summary>
internal static class HttpLoad
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10);
        var concurrency = Option(args, "--concurrency", 1);
        await using var fixture = await HttpTargetFixture.StartAsync().ConfigureAwait(false);

        // Warm both paths (connections, JIT) before counting.
        await RoundAsync(fixture, signed: false, concurrency, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        await RoundAsync(fixture, signed: true, concurrency, TimeSpan.FromSeconds(1)).ConfigureAwait(false);

        long raw = 0, signed = 0;
        for (var slice = 0; slice < seconds * 10; slice++)
        {
            raw += await RoundAsync(fixture, signed: false, concurrency, Slice).ConfigureAwait(false);
            signed += await RoundAsync(fixture, signed: true, concurrency, Slice).ConfigureAwait(false);
        }

        var rawRate = raw / (double)seconds;
        var signedRate = signed / (double)seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Path | Concurrency | Requests | Requests/s | Mean per request |"));
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| raw HttpClient POST | {concurrency} | {raw} | {rawRate:N0} | {concurrency * 1e6 / rawRate:N1} us |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| signed target call | {concurrency} | {signed} | {signedRate:N0} | {concurrency * 1e6 / signedRate:N1} us |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Signed throughput is {signedRate / rawRate:P1} of raw; the receiver accepted {fixture.Receiver.Connections} connections for {fixture.Receiver.Requests} requests."));
        return 0;
    }

    private static async Task<long> RoundAsync(HttpTargetFixture fixture, bool signed, int concurrency, TimeSpan length)
    {
        var stopwatch = Stopwatch.StartNew();
        var workers = new Task<long>[concurrency];
        for (var i = 0; i < workers.Length; i++)
        {
            var worker = i;
            workers[i] = Task.Run(async () =>
            {
                long done = 0;
                while (stopwatch.Elapsed < length)
                {
                    var status = signed
                        ? await fixture.CallTargetAsync(string.Create(CultureInfo.InvariantCulture, $"load-{worker}-{done}"), CancellationToken.None).ConfigureAwait(false)
                        : await fixture.PostRawAsync(CancellationToken.None).ConfigureAwait(false);
                    if (status != 200)
                    {
                        throw new InvalidOperationException($"The receiver answered {status}.");
                    }

                    done++;
                }

                return done;
            });
        }

        long total = 0;
        foreach (var count in await Task.WhenAll(workers).ConfigureAwait(false))
        {
            total += count;
        }

        return total;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
    }
}
