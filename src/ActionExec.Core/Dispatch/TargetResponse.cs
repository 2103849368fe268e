using System.Collections.Immutable;

namespace ActionExec.Dispatch;

/// <summary>A target's answer, as an <see cref="ITargetInvoker"/> returns it.</summary>
public sealed class TargetResponse
{
    private static readonly TargetResponse EmptyOk = new(200);

    /// <summary>Creates an answer.</summary>
    /// <param name="statusCode">The HTTP status code (an in-process invoker uses 200 for success).</param>
    /// <param name="body">The body bytes.</param>
    /// <param name="headers">The response headers, without hop-by-hop ones.</param>
    public TargetResponse(int statusCode, ReadOnlyMemory<byte> body = default, ImmutableArray<KeyValuePair<string, string>> headers = default)
    {
        StatusCode = statusCode;
        Body = body;
        Headers = headers.IsDefault ? [] : headers;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The body bytes.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The response headers, without hop-by-hop ones; a header with several values appears several times.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Headers { get; }

    /// <summary>How long the target asked the caller to wait before retrying (<c>Retry-After</c>), if it did.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Whether the status is 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>A 200 answer with a JSON body, for in-process invokers.</summary>
    /// <param name="jsonBody">The UTF-8 JSON body.</param>
    /// <returns>The answer; without a body, one shared instance (an answer cannot be changed, so it can be shared).</returns>
    public static TargetResponse Ok(ReadOnlyMemory<byte> jsonBody = default) => jsonBody.IsEmpty ? EmptyOk : new(200, jsonBody);
}
