using BenchmarkDotNet.Attributes;

namespace ActionExec.Benchmarks.Http;

/// <summary>
/// A signed webhook POST through <see cref="ActionExec.Dispatch.TargetCaller"/> and the HTTP invoker (named client from the factory, the
/// endpoint policy's connect callback, the signature, the size-limited body read, classification, telemetry) to a loopback
/// Kestrel receiver that answers 200 with an empty body, against a raw <see cref="HttpClient"/> POST of the same bytes (the
/// baseline). Calls are sequential over a kept-alive connection, so the mean per call is the inverse of the throughput.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class HttpTargetBenchmarks
{
    private HttpTargetFixture _fixture = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = HttpTargetFixture.StartAsync().GetAwaiter().GetResult();

        // A benchmark that measures the wrong path is worse than none: both must reach the receiver, and only one signs.
        var raw = _fixture.PostRawAsync(CancellationToken.None).GetAwaiter().GetResult();
        var signed = _fixture.CallTargetAsync("delivery-check", CancellationToken.None).GetAwaiter().GetResult();
        if (raw != 200 || signed != 200 || _fixture.Receiver.Requests != 2 || _fixture.Receiver.Signed != 1)
        {
            throw new InvalidOperationException($"The receiver saw {_fixture.Receiver.Requests} requests ({_fixture.Receiver.Signed} signed) instead of 2 (1 signed).");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task<int> RawHttpClientPost() => _fixture.PostRawAsync(CancellationToken.None);

    [Benchmark]
    public Task<int> SignedTargetCall() => _fixture.CallTargetAsync("delivery-1", CancellationToken.None);
}
