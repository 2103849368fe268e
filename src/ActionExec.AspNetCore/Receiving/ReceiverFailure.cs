namespace ActionExec.AspNetCore.Receiving;

/// <summary>Why a receiver refused a delivery: a stable code for the problem body and the logs, and the status it answers.</summary>
internal enum ReceiverFailure
{
    /// <summary>The body is larger than <see cref="ActionReceiverOptions.MaxBodyBytes"/> (413).</summary>
    BodyTooLarge,

    /// <summary>A signature header of the scheme is absent.</summary>
    SignatureMissing,

    /// <summary>A signature header cannot be read.</summary>
    SignatureMalformed,

    /// <summary>The signed timestamp is older than the tolerance.</summary>
    TimestampStale,

    /// <summary>The signed timestamp is further ahead than the tolerance.</summary>
    TimestampFuture,

    /// <summary>No signature matches a configured key.</summary>
    SignatureMismatch,

    /// <summary>The delivery was accepted before, within the tolerance.</summary>
    Replayed,

    /// <summary>The verified body is not the payload expected (400).</summary>
    PayloadInvalid,

    /// <summary>The JWT is not valid: unknown key, bad signature, expired, or not the issuer or audience expected.</summary>
    TokenInvalid,

    /// <summary>The JWE cannot be decrypted with the receiver's key its <c>kid</c> names.</summary>
    TokenUndecryptable,
}
