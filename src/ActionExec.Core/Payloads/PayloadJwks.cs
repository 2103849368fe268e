using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Payloads;

/// <summary>
/// The JSON Web Key Set of the host's published payload signing keys, written once per set of keys and written again only after a
/// rotation changes them.
/// </summary>
internal sealed class PayloadJwks
{
    private readonly IPayloadSigningKeyProvider _keys;
    private volatile Written? _written;

    /// <summary>Creates the key set of <paramref name="keys"/>.</summary>
    public PayloadJwks(IPayloadSigningKeyProvider keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
    }

    /// <summary>The media type of a JSON Web Key Set.</summary>
    public const string ContentType = "application/json";

    /// <summary>The UTF-8 JSON of the key set as it is now.</summary>
    public ReadOnlyMemory<byte> Current()
    {
        var keys = _keys.PublishedKeys;
        var written = _written;
        if (written is null || !ReferenceEquals(written.Keys, keys))
        {
            written = new Written(keys, PayloadKeys.WriteJwks(keys));
            _written = written;
        }

        return written.Json;
    }

    private sealed record Written(IReadOnlyList<SecurityKey> Keys, byte[] Json);
}
