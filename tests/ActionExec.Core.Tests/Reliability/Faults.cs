using ActionExec.Tests.Support;

namespace ActionExec.Tests.Reliability;

/// <summary>What each fault is, on the wire and in the words of spec §6–§8.</summary>
public static class Faults
{
    public static string Route(this Fault fault) => fault switch
    {
        Fault.Hang => FaultServer.Hang,
        Fault.Drip => FaultServer.Drip,
        Fault.Reset => FaultServer.Reset,
        Fault.ServerError => FaultServer.ServerError,
        Fault.TooManyRequests => FaultServer.TooManyRequests,
        Fault.Gone => FaultServer.Gone,
        Fault.Redirect => FaultServer.Redirect,
        Fault.Html => FaultServer.Html,
        Fault.InvalidJson => FaultServer.InvalidJson,
        Fault.Huge => FaultServer.Huge,
        _ => FaultServer.HugeChunked,
    };

    /// <summary>Whether the target's own timeout is what ends an attempt.</summary>
    public static bool TimesOut(this Fault fault) => fault is Fault.Hang or Fault.Drip;

    /// <summary>Whether the answer fails a target of this type at all: a webhook ignores the body, so HTML or broken JSON is fine for it.</summary>
    public static bool Fails(this Fault fault, bool isCall) => isCall || fault is not (Fault.Html or Fault.InvalidJson);

    /// <summary>Whether background delivery tries again after this fault (spec §7: transport errors, timeouts, 429 and 5xx).</summary>
    public static bool IsRetried(this Fault fault) => fault is Fault.Hang or Fault.Drip or Fault.Reset or Fault.ServerError or Fault.TooManyRequests;

    /// <summary>The status the target answered with, as a failed attempt records it; null when no usable answer came.</summary>
    public static int? Status(this Fault fault) => fault switch
    {
        Fault.ServerError => 500,
        Fault.TooManyRequests => 429,
        Fault.Gone => 410,
        Fault.Redirect => 302,
        Fault.Html or Fault.InvalidJson => 200,
        _ => null,
    };

    /// <summary>
    /// The reason of the failed attempt (spec §6), as it follows <c>target &lt;name&gt; failed: </c>; for a reset, only its start,
    /// because the rest is the transport's own wording.
    /// </summary>
    public static string Reason(this Fault fault, TimeSpan timeout) => fault switch
    {
        Fault.Hang or Fault.Drip => $"no answer within its timeout of {timeout.TotalSeconds:0.###}s",
        Fault.Reset => "no answer: ",
        Fault.Redirect => "it answered 302 (redirects are not followed)",
        Fault.Html or Fault.InvalidJson => "its answer is not JSON",
        Fault.Huge => $"its answer of {FaultServer.HugeBytes} bytes exceeds the limit of 1048576 bytes",
        Fault.HugeChunked => "its answer exceeds the limit of 1048576 bytes",
        _ => $"it answered {fault.Status()}",
    };
}
