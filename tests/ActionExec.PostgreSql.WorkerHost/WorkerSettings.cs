using System.Net;

namespace ActionExec.PostgreSql.WorkerHost;

/// <summary>
/// The worker's own settings, from the <c>Worker</c> section of the command line (<c>--Worker:Receiver=http://127.0.0.1:5000/hook</c>);
/// the library's are the usual <c>ConnectionStrings:ActionExec</c> and <c>ActionExec:…</c> keys.
/// </summary>
internal sealed class WorkerSettings
{
    public const string Section = "Worker";

    /// <summary>The tenant the worker sets up and publishes to.</summary>
    public string Tenant { get; set; } = "durability";

    /// <summary>The event type of the execution it sets up and of the events it publishes.</summary>
    public string EventType { get; set; } = "order.shipped";

    /// <summary>
    /// Where the target of that execution posts: a loopback URL, such as the test's receiver. When set, the worker creates the
    /// target and the execution unless the tenant already has a target named <see cref="TargetName"/>.
    /// </summary>
    public string? Receiver { get; set; }

    /// <summary>How many events the worker publishes once it started (numbered from <see cref="FirstEvent"/>).</summary>
    public int Publish { get; set; }

    /// <summary>The number of the first event it publishes: its aggregate id is <c>order-&lt;n&gt;</c>.</summary>
    public int FirstEvent { get; set; }

    /// <summary>The process that started the worker: when it is gone, the worker exits rather than outlive a crashed test run.</summary>
    public int ParentProcessId { get; set; }

    /// <summary>The folder of the Data Protection key ring the test and every worker share, so each can read the signing keys the others wrote.</summary>
    public string? KeyRing { get; set; }

    /// <summary>The longest the worker runs, whatever happens.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromMinutes(2);

    public const string TargetName = "receiver";

    /// <summary>Fails unless <see cref="Receiver"/> is absent or an <c>http</c> URL on a loopback address.</summary>
    public void Validate()
    {
        if (Receiver is null)
        {
            return;
        }

        if (!Uri.TryCreate(Receiver, UriKind.Absolute, out var uri) || !string.Equals(uri.Scheme, Uri.UriSchemeHttp, StringComparison.Ordinal) || !IPAddress.TryParse(uri.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new InvalidOperationException($"Worker:Receiver is '{Receiver}'; give an http URL on a loopback address, such as http://127.0.0.1:5000/hook. The worker sends to nothing else.");
        }
    }
}
