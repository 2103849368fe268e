namespace ActionExec.Dispatch;

/// <summary>Why a target call failed.</summary>
public enum TargetFailureKind
{
    /// <summary>The call succeeded.</summary>
    None,

    /// <summary>The call got no answer: connection refused or reset, DNS failure and the like. Retried in the background.</summary>
    Transport,

    /// <summary>The target did not answer within its timeout. Retried in the background.</summary>
    Timeout,

    /// <summary>The target answered with a status that is not 2xx (3xx included: redirects are not followed).</summary>
    Status,

    /// <summary>The answer was larger than the configured limit.</summary>
    ResponseTooLarge,

    /// <summary>A call target answered 2xx with a body that is not JSON.</summary>
    NotJson,

    /// <summary>The target answered 2xx with <c>forwardedStatusCode</c> and <c>forwardedErrorMessage</c>.</summary>
    Forwarded,

    /// <summary>The endpoint policy denies the endpoint's address. Never retried.</summary>
    Denied,

    /// <summary>No invoker handles the endpoint's scheme.</summary>
    NoInvoker,
}
