using System.Collections;

namespace ActionExec.Signatures;

/// <summary>
/// The one to three signature headers of a request, as name/value pairs; created by
/// <see cref="WebhookSigner.CreateHeaders"/>. A value type with a struct enumerator, so that copying the headers
/// onto a request allocates nothing beyond the header strings:
/// <code>
/// foreach (var header in WebhookSigner.CreateHeaders(scheme, key, body, now, deliveryId))
/// {
///     request.Headers.TryAddWithoutValidation(header.Key, header.Value);
/// }
/// </code>
/// </summary>
internal readonly struct WebhookSignatureHeaders : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly KeyValuePair<string, string> _first;
    private readonly KeyValuePair<string, string> _second;
    private readonly KeyValuePair<string, string> _third;

    internal WebhookSignatureHeaders(KeyValuePair<string, string> only)
    {
        _first = only;
        Count = 1;
    }

    internal WebhookSignatureHeaders(
        KeyValuePair<string, string> first,
        KeyValuePair<string, string> second,
        KeyValuePair<string, string> third)
    {
        _first = first;
        _second = second;
        _third = third;
        Count = 3;
    }

    /// <summary>The number of headers: 1 for ZITADEL, 3 for Standard Webhooks, 0 for a default instance.</summary>
    public int Count { get; }

    /// <summary>Returns the header at <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based; less than <see cref="Count"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not less than <see cref="Count"/>.</exception>
    public KeyValuePair<string, string> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return index switch
            {
                0 => _first,
                1 => _second,
                _ => _third,
            };
        }
    }

    /// <summary>Returns an enumerator over the headers that does not allocate.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates <see cref="WebhookSignatureHeaders"/> without allocating.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, string>>
    {
        private readonly WebhookSignatureHeaders _headers;
        private int _index;

        internal Enumerator(WebhookSignatureHeaders headers)
        {
            _headers = headers;
            _index = -1;
        }

        /// <summary>The header at the current position.</summary>
        public readonly KeyValuePair<string, string> Current => _headers[_index];

        readonly object IEnumerator.Current => Current;

        /// <summary>Advances to the next header.</summary>
        /// <returns><see langword="true"/> when there is a next header.</returns>
        public bool MoveNext() => ++_index < _headers.Count;

        /// <summary>Moves back to before the first header.</summary>
        public void Reset() => _index = -1;

        /// <summary>Does nothing; the enumerator holds no resources.</summary>
        public readonly void Dispose()
        {
        }
    }
}
