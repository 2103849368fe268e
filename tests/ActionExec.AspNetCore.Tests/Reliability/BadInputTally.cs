using System.Globalization;
using System.Text;

namespace ActionExec.AspNetCore.Tests.Reliability;

/// <summary>
/// Counts the requests of the bad-input run per route: sent, meant valid, accepted, refused by Kestrel before the application
/// ran, and rejected by the API, by status.
/// </summary>
internal sealed class BadInputTally
{
    private readonly SortedDictionary<string, RouteCounts> _routes = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, RouteCounts> Routes => _routes;

    public int Sent => _routes.Values.Sum(r => r.Sent);

    public int Accepted => _routes.Values.Sum(r => r.Accepted);

    public void Add(FuzzRequest request, int status)
    {
        if (!_routes.TryGetValue(request.Route, out var counts))
        {
            _routes[request.Route] = counts = new RouteCounts();
        }

        counts.Sent++;
        if (request.MeantValid)
        {
            counts.MeantValid++;
        }

        if (request.RefusedByServer)
        {
            counts.RefusedByServer++;
        }
        else if (status is >= 200 and < 300)
        {
            counts.Accepted++;
        }
        else
        {
            counts.Rejected[status] = counts.Rejected.GetValueOrDefault(status) + 1;
        }
    }

    /// <summary>The counts as a GitHub-flavoured table, one row per route and a total.</summary>
    public string ToMarkdown()
    {
        var statuses = _routes.Values.SelectMany(r => r.Rejected.Keys).Distinct().Order().ToList();
        var table = new StringBuilder();
        table.Append("| route | sent | meant valid | accepted (2xx) | refused by Kestrel (400, no body) |");
        foreach (var status in statuses)
        {
            table.Append(CultureInfo.InvariantCulture, $" {status} |");
        }

        table.Append("\n|---|---:|---:|---:|---:|").Append(string.Concat(statuses.Select(_ => "---:|"))).Append('\n');
        foreach (var (route, counts) in _routes)
        {
            AppendRow(table, route, counts, statuses);
        }

        var total = new RouteCounts
        {
            Sent = Sent,
            MeantValid = _routes.Values.Sum(r => r.MeantValid),
            Accepted = Accepted,
            RefusedByServer = _routes.Values.Sum(r => r.RefusedByServer),
        };
        foreach (var status in statuses)
        {
            total.Rejected[status] = _routes.Values.Sum(r => r.Rejected.GetValueOrDefault(status));
        }

        AppendRow(table, "**all**", total, statuses);
        return table.ToString();
    }

    private static void AppendRow(StringBuilder table, string route, RouteCounts counts, List<int> statuses)
    {
        table.Append(CultureInfo.InvariantCulture, $"| `{route}` | {counts.Sent:N0} | {counts.MeantValid:N0} | {counts.Accepted:N0} | {counts.RefusedByServer:N0} |");
        foreach (var status in statuses)
        {
            table.Append(CultureInfo.InvariantCulture, $" {counts.Rejected.GetValueOrDefault(status):N0} |");
        }

        table.Append('\n');
    }

    internal sealed class RouteCounts
    {
        public int Sent { get; set; }

        public int MeantValid { get; set; }

        public int Accepted { get; set; }

        public int RefusedByServer { get; set; }

        public SortedDictionary<int, int> Rejected { get; } = [];

        public int RejectedTotal => Rejected.Values.Sum();
    }
}
