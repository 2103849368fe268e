using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using ActionExec.Targets;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>
/// A receiver's JWT and JWE checks, with Microsoft.IdentityModel: decrypts a JWE with the private key its <c>kid</c> names, then
/// validates the JWS (signature with the sender's key its <c>kid</c> names, <c>exp</c>, and <c>iss</c> and <c>aud</c> when
/// configured), and returns its claims: the payload.
/// </summary>
internal sealed class ReceiverTokens
{
    private static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = int.MaxValue };

    private readonly PayloadType _type;
    private readonly ImmutableArray<SecurityKey> _fixedKeys;
    private readonly JwksSource? _jwks;
    private readonly ImmutableArray<SecurityKey> _decryptionKeys;
    private readonly string? _issuer;
    private readonly string? _audience;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _time;

    public ReceiverTokens(ActionReceiverOptions options, JwksSource? jwks, TimeProvider time)
    {
        _type = options.PayloadType;
        _fixedKeys = string.IsNullOrEmpty(options.IssuerJwks) ? [] : [.. new JsonWebKeySet(options.IssuerJwks).GetSigningKeys()];
        _jwks = jwks;
        _decryptionKeys = [.. options.DecryptionKeys.Select(static pair => LoadPrivateKey(pair.Key, pair.Value))];
        _issuer = options.ValidIssuer;
        _audience = options.ValidAudience;
        _tolerance = options.Tolerance;
        _time = time;
    }

    /// <summary>Reads a private key in PEM as Microsoft.IdentityModel's key, RSA or EC.</summary>
    /// <exception cref="ArgumentException">The PEM holds neither an RSA nor an EC private key.</exception>
    public static SecurityKey LoadPrivateKey(string keyId, string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa) { KeyId = keyId, CryptoProviderFactory = JweAlgorithms.CreateFactory() };
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            if (ec.ExportParameters(true).D is not null)
            {
                return new ECDsaSecurityKey(ec) { KeyId = keyId };
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // Named below, without the key's text.
        }

        ec.Dispose();
        throw new ArgumentException($"The decryption key '{keyId}' is not an RSA or EC private key in PEM; give the PKCS#8 'PRIVATE KEY' (or 'RSA PRIVATE KEY', 'EC PRIVATE KEY') whose public key the target holds.", nameof(pem));
    }

    /// <summary>Checks <paramref name="body"/> as the configured payload type and returns the payload JSON, or what failed.</summary>
    public async ValueTask<TokenOutcome> ReadAsync(byte[] body, CancellationToken cancellationToken)
    {
        string compact;
        try
        {
            compact = System.Text.Encoding.ASCII.GetString(body).Trim();
        }
        catch (ArgumentException)
        {
            return TokenOutcome.Failed(ReceiverFailure.TokenInvalid, "The body is not a compact token.");
        }

        if (_type == PayloadType.Jwe)
        {
            var decrypted = Decrypt(compact);
            if (decrypted.Failure is not null)
            {
                return decrypted;
            }

            compact = decrypted.Jws!;
        }

        return await ValidateAsync(compact, cancellationToken).ConfigureAwait(false);
    }

    private TokenOutcome Decrypt(string compact)
    {
        if (!Handler.CanReadToken(compact) || compact.Count(static c => c == '.') != 4)
        {
            return TokenOutcome.Failed(ReceiverFailure.TokenUndecryptable, "The body is not a compact JWE (five base64url parts); the target's payload type is jwe.");
        }

        try
        {
            var token = new JsonWebToken(compact);
            var kid = token.Kid;
            var keys = _decryptionKeys.Where(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal)).ToArray();
            if (keys.Length == 0)
            {
                return TokenOutcome.Failed(ReceiverFailure.TokenUndecryptable, $"The token is encrypted to the key id '{Echo(kid)}', which is not among the receiver's decryption keys; add that key, or activate one of the receiver's keys on the target.");
            }

            var parameters = new TokenValidationParameters
            {
                TokenDecryptionKeys = keys,
                TokenDecryptionKeyResolver = (_, _, _, _) => keys,
                TokenDecryptionKey = EphemeralKey(token),
                CryptoProviderFactory = JweAlgorithms.CreateFactory(),
            };
            return TokenOutcome.Decrypted(Handler.DecryptToken(token, parameters));
        }
        catch (Exception e) when (e is SecurityTokenException or ArgumentException or CryptographicException or FormatException or JsonException or InvalidOperationException)
        {
            return TokenOutcome.Failed(ReceiverFailure.TokenUndecryptable, "The token could not be decrypted with the receiver's key for its key id; it was encrypted to another key, or changed on the way.");
        }
    }

    private async ValueTask<TokenOutcome> ValidateAsync(string compact, CancellationToken cancellationToken)
    {
        if (!Handler.CanReadToken(compact) || compact.Count(static c => c == '.') != 2)
        {
            return TokenOutcome.Failed(ReceiverFailure.TokenInvalid, "The body is not a compact JWS (three base64url parts); the target's payload type is jwt.");
        }

        JsonWebToken token;
        try
        {
            token = new JsonWebToken(compact);
        }
        catch (ArgumentException)
        {
            return TokenOutcome.Failed(ReceiverFailure.TokenInvalid, "The token cannot be read as a JWS.");
        }

        var kid = token.Kid;
        var keys = _fixedKeys.Where(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal)).ToList();
        if (_jwks is not null)
        {
            keys.AddRange(await _jwks.GetKeysAsync(kid, cancellationToken).ConfigureAwait(false));
        }

        if (keys.Count == 0)
        {
            return TokenOutcome.Failed(ReceiverFailure.TokenInvalid, $"The token is signed with the key id '{Echo(kid)}', which the sender's key set does not hold; the key is unknown or was withdrawn.");
        }

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = _tolerance,

            // The receiver's clock (a TimeProvider), not the system's: Microsoft.IdentityModel's own check reads DateTime.UtcNow.
            LifetimeValidator = IsWithinLifetime,
            ValidateIssuer = _issuer is not null,
            ValidIssuer = _issuer,
            ValidateAudience = _audience is not null,
            ValidAudience = _audience,
        };
        var result = await Handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return TokenOutcome.Failed(ReceiverFailure.TokenInvalid, Reason(result.Exception));
        }

        try
        {
            return TokenOutcome.Read(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        }
        catch (FormatException)
        {
            return TokenOutcome.Failed(ReceiverFailure.TokenInvalid, "The token's claims are not base64url.");
        }
    }

    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp && exp.Add(_tolerance) > now && (notBefore is not { } nbf || nbf.Subtract(_tolerance) <= now);
    }

    /// <summary>Says what failed in words of our own: Microsoft.IdentityModel's messages may quote the token.</summary>
    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException => "The token has no exp, has expired, or is not valid yet (beyond the tolerance).",
        SecurityTokenNotYetValidException => "The token is not valid yet (its nbf is ahead, beyond the tolerance).",
        SecurityTokenNoExpirationException => "The token has no exp; the sender must set one.",
        SecurityTokenInvalidIssuerException => "The token's iss is not the issuer the receiver expects (ValidIssuer).",
        SecurityTokenInvalidAudienceException => "The token's aud is not the audience the receiver expects (ValidAudience).",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The token's signature does not verify with the sender's key its kid names.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        _ => "The token is not valid.",
    };

    private static ECDsaSecurityKey? EphemeralKey(JsonWebToken token)
    {
        // Microsoft.IdentityModel reads the ECDH-ES ephemeral public key from the validation parameters, not from the header.
        if (!token.TryGetHeaderValue<JsonElement>("epk", out var epk) || epk.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var curve = epk.TryGetProperty("crv", out var crv) ? crv.GetString() : null;
        var point = new ECPoint
        {
            X = Base64UrlEncoder.DecodeBytes(epk.GetProperty("x").GetString()),
            Y = Base64UrlEncoder.DecodeBytes(epk.GetProperty("y").GetString()),
        };
        var named = curve switch
        {
            "P-256" => ECCurve.NamedCurves.nistP256,
            "P-384" => ECCurve.NamedCurves.nistP384,
            "P-521" => ECCurve.NamedCurves.nistP521,
            _ => throw new ArgumentException("The ephemeral key's curve is not P-256, P-384 or P-521.", nameof(token)),
        };
        return new ECDsaSecurityKey(ECDsa.Create(new ECParameters { Curve = named, Q = point }));
    }

    private static string Echo(string? text) => text is null ? "" : text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
