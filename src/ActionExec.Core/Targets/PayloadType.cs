namespace ActionExec.Targets;

/// <summary>How the payload sent to a target is encoded (ZITADEL's <c>PAYLOAD_TYPE_JSON</c>, <c>_JWT</c> and <c>_JWE</c>).</summary>
public enum PayloadType
{
    /// <summary>Plain JSON (<c>application/json; charset=utf-8</c>).</summary>
    Json,

    /// <summary>The JSON payload as a compact JWS signed with the host's signing key, whose public keys the host publishes as a JWKS.</summary>
    Jwt,

    /// <summary>The signed JWT of <see cref="Jwt"/>, encrypted as a compact JWE to the target's active public key.</summary>
    Jwe,
}
