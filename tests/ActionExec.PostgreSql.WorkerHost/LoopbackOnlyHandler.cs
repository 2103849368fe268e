using System.Net;

namespace ActionExec.PostgreSql.WorkerHost;

/// <summary>
/// Refuses every request whose host is not a loopback address, whatever the targets in the database say: the worker is a test
/// host, and test traffic never leaves the machine.
/// </summary>
internal sealed class LoopbackOnlyHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var host = request.RequestUri?.Host;
        return host is not null && IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address)
            ? base.SendAsync(request, cancellationToken)
            : throw new HttpRequestException($"The worker host sends only to loopback addresses, not to '{host}'.");
    }
}
