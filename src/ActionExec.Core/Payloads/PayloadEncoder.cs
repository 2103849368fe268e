using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Targets;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.Payloads;

/// <summary>
/// Turns the JSON payload of an attempt into what a target's <see cref="PayloadType"/> asks for: the JSON itself, a compact JWS
/// signed with the host's key (<see cref="PayloadType.Jwt"/>), or that JWS encrypted to the target's active public key
/// (<see cref="PayloadType.Jwe"/>). A token is made per attempt, so its <c>iat</c> and <c>exp</c> are those of the attempt.
/// </summary>
/// <remarks>
/// Never falls back to plain JSON: without the host's signing keys, or for a JWE target without an active public key, the attempt
/// fails with the reason and the fix.
/// </remarks>
internal sealed class PayloadEncoder
{
    /// <summary>The content type of a JWT or JWE body (RFC 7519, section 10.3.1).</summary>
    public const string TokenContentType = "application/jwt";

    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly ConditionalWeakTable<TargetPublicKey, SecurityKey> Recipients = new();

    private readonly IPayloadSigningKeyProvider? _keys;
    private readonly TimeProvider _time;
    private readonly DispatchOptions _options;
    private volatile SigningCredentials? _credentials;

    /// <summary>Creates the encoder.</summary>
    /// <param name="time">The clock of <c>iat</c> and <c>exp</c>.</param>
    /// <param name="options">The token lifetime and issuer.</param>
    /// <param name="keys">The host's signing keys; without them, JWT and JWE attempts fail.</param>
    public PayloadEncoder(TimeProvider time, IOptions<DispatchOptions> options, IPayloadSigningKeyProvider? keys = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _options = options.Value;
        _keys = keys;
    }

    /// <summary>Encodes the payload for <paramref name="target"/>.</summary>
    /// <param name="target">The target.</param>
    /// <param name="payload">The JSON payload.</param>
    /// <param name="encoded">The bytes to send.</param>
    /// <param name="problem">Why the payload could not be encoded, naming the fix; <see langword="null"/> on success.</param>
    /// <returns>Whether the payload was encoded.</returns>
    public bool TryEncode(ResolvedTarget target, ReadOnlyMemory<byte> payload, out ReadOnlyMemory<byte> encoded, out string? problem)
    {
        var type = target.Definition.PayloadType;
        if (type == PayloadType.Json)
        {
            encoded = payload;
            problem = null;
            return true;
        }

        encoded = default;
        var credentials = Credentials();
        if (credentials is null)
        {
            problem = $"its payload type is {Name(type)}, but the host has no payload signing keys; register them with AddPayloadSigningKeys on AddActionExecutions, or change the target's payload type to json";
            return false;
        }

        SecurityKey? recipient = null;
        if (type == PayloadType.Jwe && !TryGetRecipient(target, out recipient, out problem))
        {
            return false;
        }

        var jws = Sign(payload.Span, target.Definition.Endpoint, credentials);
        encoded = recipient is null ? jws : JweWriter.Encrypt(jws, recipient);
        problem = null;
        return true;
    }

    /// <summary>Signs <paramref name="payload"/> with the registered claims added (see <see cref="AddClaims"/>).</summary>
    internal byte[] Sign(ReadOnlySpan<byte> payload, string audience, SigningCredentials credentials)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var lifetime = (long)Math.Ceiling(_options.PayloadTokenLifetime.TotalSeconds);
        var claims = AddClaims(payload, now, now + lifetime, audience, _options.PayloadTokenIssuer);
        return Encoding.ASCII.GetBytes(Handler.CreateToken(claims, credentials));
    }

    /// <summary>
    /// The payload object with <c>iat</c>, <c>exp</c>, <c>aud</c> and (when configured) <c>iss</c> added in front of its own members;
    /// a member the payload already has keeps its value, and a payload that is not a JSON object is signed as it is.
    /// </summary>
    internal static string AddClaims(ReadOnlySpan<byte> payload, long issuedAt, long expires, string audience, string? issuer)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Encoding.UTF8.GetString(payload);
        }

        var open = (int)reader.TokenStartIndex;
        bool hasIat = false, hasExp = false, hasAud = false, hasIss = false, empty = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            empty = false;
            hasIat |= reader.ValueTextEquals("iat"u8);
            hasExp |= reader.ValueTextEquals("exp"u8);
            hasAud |= reader.ValueTextEquals("aud"u8);
            hasIss |= reader.ValueTextEquals("iss"u8);
            reader.Read();
            reader.Skip();
        }

        var buffer = new ArrayBufferWriter<byte>(payload.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (!hasIat)
            {
                writer.WriteNumber("iat"u8, issuedAt);
            }

            if (!hasExp)
            {
                writer.WriteNumber("exp"u8, expires);
            }

            if (!hasAud)
            {
                writer.WriteString("aud"u8, audience);
            }

            if (!hasIss && !string.IsNullOrEmpty(issuer))
            {
                writer.WriteString("iss"u8, issuer);
            }

            writer.WriteEndObject();
        }

        // The claims object without its closing brace, then the payload's members as they came, after its opening brace.
        var claims = buffer.WrittenSpan[..^1];
        var members = payload[(open + 1)..].TrimEnd(" \t\r\n"u8);
        var added = claims.Length > 1;
        var builder = new StringBuilder(claims.Length + members.Length + 1);
        builder.Append(Encoding.UTF8.GetString(claims));
        if (added && !empty)
        {
            builder.Append(',');
        }

        builder.Append(Encoding.UTF8.GetString(members));
        return builder.ToString();
    }

    private static string Name(PayloadType type) => type == PayloadType.Jwe ? "jwe" : "jwt";

    /// <summary>The credentials of the current signing key, rebuilt only when the provider's key changes (a rotation).</summary>
    private SigningCredentials? Credentials()
    {
        if (_keys is null)
        {
            return null;
        }

        var key = _keys.SigningKey;
        var cached = _credentials;
        if (cached is not null && ReferenceEquals(cached.Key, key))
        {
            return cached;
        }

        cached = new SigningCredentials(key, PayloadKeys.SigningAlgorithm(key));
        _credentials = cached;
        return cached;
    }

    /// <summary>
    /// The target's active, unexpired public key at the attempt's time, imported once per key: a snapshot keeps the same key
    /// instance until the target's keys change.
    /// </summary>
    private bool TryGetRecipient(ResolvedTarget target, out SecurityKey? recipient, out string? problem)
    {
        var active = target.ActivePublicKeyAt(_time.GetUtcNow());
        if (active is null)
        {
            recipient = null;
            problem = $"its payload type is jwe, but it has no active public key to encrypt to (none is active, or the active one has expired); add a public key to target '{target.Id}' and activate it, or change its payload type";
            return false;
        }

        recipient = Recipients.GetValue(active, static key => PublicKeyPem.Import(key.PublicKey) switch
        {
            RSA rsa => new RsaSecurityKey(rsa) { KeyId = key.KeyId },
            ECDsa ec => new ECDsaSecurityKey(ec) { KeyId = key.KeyId },
            var other => throw new CryptographicException($"The public key '{key.KeyId}' is a {other.GetType().Name}; only RSA and EC keys are accepted."),
        });
        problem = null;
        return true;
    }
}
