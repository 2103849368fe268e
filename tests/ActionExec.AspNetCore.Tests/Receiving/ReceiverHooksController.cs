using ActionExec.AspNetCore.Receiving;
using Microsoft.AspNetCore.Mvc;

namespace ActionExec.AspNetCore.Tests.Receiving;

/// <summary>A controller of a receiving service: reads the verified delivery from the request features and binds its body.</summary>
[ApiController]
public sealed class ReceiverHooksController : ControllerBase
{
    public sealed record Envelope(string FullMethod);

    public sealed record Reply(string FullMethod, string? DeliveryId);

    [HttpPost("/controller/hooks/gate")]
    public Reply Gate([FromBody] Envelope envelope) =>
        new(envelope.FullMethod, HttpContext.Features.Get<ActionDelivery>()?.Id);
}
