using System.Text.Json;
using ActionExec.Targets;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>
/// A delivery an endpoint marked with <c>RequireActionSignature</c> accepted: its signature verified, its timestamp within the
/// tolerance, not a replay. A minimal API handler takes it as a parameter (<c>(ActionDelivery delivery) =&gt; …</c>); a
/// controller reads it with <c>HttpContext.Features.Get&lt;ActionDelivery&gt;()</c>. The request body the handler reads (or
/// binds with <c>[FromBody]</c>) is <see cref="Payload"/>'s JSON.
/// </summary>
public sealed class ActionDelivery
{
    internal ActionDelivery(string receiverName, string? id, DateTimeOffset timestamp, SignatureScheme scheme, PayloadType payloadType, ReadOnlyMemory<byte> body, JsonElement payload)
    {
        PayloadType = payloadType;
        ReceiverName = receiverName;
        Id = id;
        Timestamp = timestamp;
        Scheme = scheme;
        Body = body;
        Payload = payload;
    }

    /// <summary>The name of the receiver options that accepted it; empty for the default receiver.</summary>
    public string ReceiverName { get; }

    /// <summary>
    /// The delivery id (<c>webhook-id</c>): the same across the sender's retries of one delivery, so a handler can use it to
    /// make its work idempotent. <see langword="null"/> when the sender sent none (ZITADEL's own scheme does not).
    /// </summary>
    public string? Id { get; }

    /// <summary>The signed time of sending, to the second.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The scheme the signature was verified with.</summary>
    public SignatureScheme Scheme { get; }

    /// <summary>How the payload came: JSON, or a JWT or JWE that was validated (and decrypted).</summary>
    public PayloadType PayloadType { get; }

    /// <summary>The exact bytes received, which the signature covers: the JSON, or the compact token.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>
    /// The verified payload: the JSON the sender's flow sent, such as <c>{"fullMethod": …, "request": …}</c>. For a JWT or JWE,
    /// the token's claims: that JSON with the registered claims the sender added (<c>iat</c>, <c>exp</c>, <c>aud</c>, <c>iss</c>).
    /// </summary>
    public JsonElement Payload { get; }

    /// <summary>
    /// Binds the parameter of a minimal API handler: the delivery the endpoint accepted. Called by ASP.NET Core, not by a host.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <returns>The delivery.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The endpoint is not marked with <c>RequireActionSignature</c>, so nothing was verified.</exception>
    public static ValueTask<ActionDelivery?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<ActionDelivery?>(context.Features.Get<ActionDelivery>()
            ?? throw new InvalidOperationException(
                $"The endpoint {context.GetEndpoint()?.DisplayName ?? context.Request.Path.ToString()} takes an {nameof(ActionDelivery)}, but no signature was verified for it; mark the endpoint (or its group) with .RequireActionSignature()."));
    }
}
