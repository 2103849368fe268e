using ActionExec.Tests.Support;

namespace ActionExec.Tests.Reliability;

/// <summary>The faults of <see cref="FaultServer"/>, one per route.</summary>
public enum Fault
{
    Hang,
    Drip,
    Reset,
    ServerError,
    TooManyRequests,
    Gone,
    Redirect,
    Html,
    InvalidJson,
    Huge,
    HugeChunked,
}
