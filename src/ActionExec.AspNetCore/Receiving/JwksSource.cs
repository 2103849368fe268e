using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>
/// The signing keys of a sender, fetched from its JWKS URL: kept for <see cref="MaxAge"/>, and fetched again early when a token
/// names a key id the set does not hold (a rotation), at most once per <see cref="MinRefreshInterval"/> so that tokens with
/// made-up key ids cannot make the receiver hammer the sender.
/// </summary>
internal sealed partial class JwksSource
{
    /// <summary>How long a fetched key set is used before it is fetched again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    /// <summary>The least time between two fetches.</summary>
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(10);

    /// <summary>The largest key set read, in bytes.</summary>
    public const int MaxJwksBytes = 256 * 1024;

    private readonly Uri _uri;
    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile Fetched? _current;

    public JwksSource(Uri uri, IHttpClientFactory clients, TimeProvider time, ILogger logger)
    {
        _uri = uri;
        _clients = clients;
        _time = time;
        _logger = logger;
    }

    /// <summary>The keys whose id is <paramref name="keyId"/>, fetching the set first when it is old or lacks the id.</summary>
    public async ValueTask<ImmutableArray<SecurityKey>> GetKeysAsync(string? keyId, CancellationToken cancellationToken)
    {
        var current = _current;
        var now = _time.GetUtcNow();
        if (current is not null && now - current.At < MaxAge)
        {
            var found = Matching(current.Keys, keyId);
            if (!found.IsEmpty || now - current.At < MinRefreshInterval)
            {
                return found;
            }
        }

        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another request may have fetched while this one waited.
            current = _current;
            now = _time.GetUtcNow();
            var stale = current is null || now - current.At >= MaxAge;
            if (stale || (Matching(current!.Keys, keyId).IsEmpty && now - current.At >= MinRefreshInterval))
            {
                current = await FetchAsync(cancellationToken).ConfigureAwait(false) ?? current;
            }

            return current is null ? [] : Matching(current.Keys, keyId);
        }
        finally
        {
            _fetching.Release();
        }
    }

    private static ImmutableArray<SecurityKey> Matching(ImmutableArray<SecurityKey> keys, string? keyId)
    {
        var builder = ImmutableArray.CreateBuilder<SecurityKey>();
        foreach (var key in keys)
        {
            if (string.Equals(key.KeyId, keyId, StringComparison.Ordinal))
            {
                builder.Add(key);
            }
        }

        return builder.DrainToImmutable();
    }

    /// <summary>Fetches the set; on failure keeps the last one (logged), so that a sender's outage does not reject known keys.</summary>
    private async ValueTask<Fetched?> FetchAsync(CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        try
        {
            using var client = _clients.CreateClient(ActionReceiverNames.JwksClientName);
            using var response = await client.GetAsync(_uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > MaxJwksBytes)
            {
                throw new InvalidDataException($"The key set is larger than {MaxJwksBytes} bytes.");
            }

            var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (json.Length > MaxJwksBytes)
            {
                throw new InvalidDataException($"The key set is larger than {MaxJwksBytes} bytes.");
            }

            var fetched = new Fetched(at, [.. new JsonWebKeySet(json).GetSigningKeys()]);
            _current = fetched;
            LogFetched(_uri.ToString(), fetched.Keys.Length);
            return fetched;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidDataException or ArgumentException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogFetchFailed(_uri.ToString(), e.GetType().Name, e.Message);

            // A failed fetch counts as one, so that the next token waits the interval too.
            var last = _current;
            _current = new Fetched(at, last?.Keys ?? []);
            return _current;
        }
    }

    private sealed record Fetched(DateTimeOffset At, ImmutableArray<SecurityKey> Keys);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Debug, Message = "The sender's key set was fetched from {Uri}: {Count} signing keys.")]
    private partial void LogFetched(string uri, int count);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Warning, Message = "The sender's key set could not be fetched from {Uri} ({ExceptionType}: {Reason}); the keys fetched before stay in use.")]
    private partial void LogFetchFailed(string uri, string exceptionType, string reason);
}
