using ActionExec.AspNetCore.Receiving;
using ActionExec.AspNetCore.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.AspNetCore.Tests.Receiving;

public sealed class InMemoryActionReplayCacheTests
{
    private readonly FakeTimeProvider _clock = new(ApiHost.Start);
    private readonly RecordingLoggerProvider _logs = new();

    [Fact]
    public async Task TryAddAsync_KeyPresentAndLive_ReturnsFalse()
    {
        var cache = Create(10);

        Assert.True(await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(5), default));
        Assert.False(await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(5), default));
        Assert.True(await cache.TryAddAsync("b", ApiHost.Start.AddMinutes(5), default));
    }

    [Fact]
    public async Task TryAddAsync_KeyExpired_AddsItAgainAndDropsExpiredKeys()
    {
        var cache = Create(10);
        await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(5), default);
        await cache.TryAddAsync("b", ApiHost.Start.AddMinutes(5), default);
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.True(await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(10), default));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task RemoveAsync_KeyAdded_CanBeAddedAgain()
    {
        var cache = Create(10);
        await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(5), default);

        await cache.RemoveAsync("a", default);

        Assert.True(await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(5), default));
    }

    [Fact]
    public async Task TryAddAsync_Full_DropsTheOldestAndWarns()
    {
        var cache = Create(2);
        await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(5), default);
        await cache.TryAddAsync("b", ApiHost.Start.AddMinutes(5), default);

        Assert.True(await cache.TryAddAsync("c", ApiHost.Start.AddMinutes(5), default));

        Assert.Equal(2, cache.Count);
        Assert.True(await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(5), default));
        Assert.False(await cache.TryAddAsync("c", ApiHost.Start.AddMinutes(5), default));
        Assert.Contains(_logs.Records, r => r.EventId.Id == 5203 && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task TryAddAsync_ManyRemovedKeys_StaysBounded()
    {
        var cache = Create(4);
        for (var i = 0; i < 10_000; i++)
        {
            var key = "k" + i;
            Assert.True(await cache.TryAddAsync(key, ApiHost.Start.AddMinutes(5), default));
            await cache.RemoveAsync(key, default);
        }

        Assert.Equal(0, cache.Count);
        Assert.DoesNotContain(_logs.Records, r => r.EventId.Id == 5203);
    }

    [Fact]
    public async Task TryAddAsync_KeyExpiredBehindALiveOne_AddsItAgainAtItsExpiry()
    {
        var cache = Create(10);
        await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(10), default);
        await cache.TryAddAsync("b", ApiHost.Start.AddMinutes(1), default);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.True(await cache.TryAddAsync("b", ApiHost.Start.AddMinutes(6), default));
        Assert.False(await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(6), default));
    }

    [Fact]
    public async Task TryAddAsync_KeyRemovedAndAddedAgain_OutlivesItsFirstExpiry()
    {
        var cache = Create(10);
        await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(1), default);
        await cache.RemoveAsync("a", default);
        await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(10), default);
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.False(await cache.TryAddAsync("a", ApiHost.Start.AddMinutes(12), default));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        using var factory = LoggerFactory.Create(b => b.AddProvider(_logs));
        var logger = factory.CreateLogger<InMemoryActionReplayCache>();

        Assert.Throws<ArgumentNullException>("time", () => new InMemoryActionReplayCache(null!, logger, 1));
        Assert.Throws<ArgumentNullException>("logger", () => new InMemoryActionReplayCache(_clock, null!, 1));
        Assert.Throws<ArgumentOutOfRangeException>("capacity", () => new InMemoryActionReplayCache(_clock, logger, 0));
    }

    [Fact]
    public async Task TryAddAsyncAndRemoveAsync_NullKey_Throw()
    {
        var cache = Create(1);

        await Assert.ThrowsAsync<ArgumentNullException>("key", async () => await cache.TryAddAsync(null!, ApiHost.Start, default));
        await Assert.ThrowsAsync<ArgumentNullException>("key", async () => await cache.RemoveAsync(null!, default));
    }

    private InMemoryActionReplayCache Create(int capacity)
    {
        using var factory = LoggerFactory.Create(b => b.AddProvider(_logs));
        return new InMemoryActionReplayCache(_clock, factory.CreateLogger<InMemoryActionReplayCache>(), capacity);
    }
}
