namespace ActionExec.Targets;

/// <summary>The kinds of public key a target may hold.</summary>
internal enum PublicKeyAlgorithm
{
    /// <summary>RSA: JWE key management RSA-OAEP-256.</summary>
    Rsa,

    /// <summary>EC on P-256, P-384 or P-521: JWE key management ECDH-ES+A256KW.</summary>
    EC,
}
