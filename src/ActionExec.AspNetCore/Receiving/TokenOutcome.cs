namespace ActionExec.AspNetCore.Receiving;

/// <summary>What <see cref="ReceiverTokens"/> made of a body: the payload JSON, the inner JWS of a JWE, or what failed.</summary>
internal readonly record struct TokenOutcome(byte[]? Payload, string? Jws, ReceiverFailure? Failure, string? Detail)
{
    public static TokenOutcome Read(byte[] payload) => new(payload, null, null, null);

    public static TokenOutcome Decrypted(string jws) => new(null, jws, null, null);

    public static TokenOutcome Failed(ReceiverFailure failure, string detail) => new(null, null, failure, detail);
}
