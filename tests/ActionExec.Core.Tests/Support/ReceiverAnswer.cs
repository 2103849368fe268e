using System.Text;

namespace ActionExec.Tests.Support;

/// <summary>What the <see cref="LoopbackReceiver"/> answers on a path.</summary>
public sealed record ReceiverAnswer
{
    public int Status { get; init; } = 200;

    public ReadOnlyMemory<byte> Body { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>How long to wait before answering at all.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>How long to stall after the headers and half of the body were sent.</summary>
    public TimeSpan BodyDelay { get; init; }

    /// <summary>Send the body without a Content-Length (chunked).</summary>
    public bool Chunked { get; init; }

    public static ReceiverAnswer Ok { get; } = new();

    public static ReceiverAnswer Json(string json, int status = 200) => new()
    {
        Status = status,
        Body = Encoding.UTF8.GetBytes(json),
        Headers = [new("Content-Type", "application/json")],
    };

    public static ReceiverAnswer Text(int status, string text) => new()
    {
        Status = status,
        Body = Encoding.UTF8.GetBytes(text),
        Headers = [new("Content-Type", "text/plain")],
    };

    public static ReceiverAnswer Redirect(string location, int status = 302) => new()
    {
        Status = status,
        Headers = [new("Location", location)],
    };
}
