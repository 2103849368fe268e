namespace ActionExec.Targets;

/// <summary>How a target is called and what its answer means.</summary>
public enum TargetType
{
    /// <summary>Called and awaited; succeeds on 2xx; its response body is ignored (<c>restWebhook</c>).</summary>
    Webhook,

    /// <summary>Called and awaited; succeeds on 2xx with a JSON body, which replaces the message (<c>restCall</c>).</summary>
    Call,

    /// <summary>Handed to the background delivery queue and not awaited; never changes or stops the flow (<c>restAsync</c>).</summary>
    Async,
}
