using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ActionExec.Samples.Tests.Support;
using OpenQA.Selenium;

namespace ActionExec.Samples.Tests.Dashboard;

/// <summary>The Deliveries page in a real browser: a delivery to a closed loopback port fails, is listed as a dead letter with its attempts, and is replayed.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DeliveriesPageTests(DashboardBrowser browser)
{
    [Fact]
    public async Task Deliveries_FailedDelivery_ListedWithItsAttemptsAndReplayedOneAndAll()
    {
        var host = browser.Host;
        var target = await CreateClosedPortTargetAsync(host);
        await host.SetExecutionAsync("""{"event":{"group":"demo.greeting.*"}}""", target);
        using (var hello = await host.CallAsync("/demo.v1.GreeterService/SayHello", """{"name": "Ada"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        }

        var id = await DeadLetterAsync(host, target, replays: 0);
        browser.SignIn(SampleHost.AdminKey);
        browser.Open("deliveries");
        browser.Element("#filter-dead-letters").Click();
        var row = browser.Element($"#deliveries-table[data-filter^='status=dead_lettered'] tr[data-id='{id}']");
        Assert.Equal("DELIVERY_STATUS_DEAD_LETTERED", row.GetAttribute("data-status"));
        row.FindElement(By.TagName("a")).Click();
        var attempts = browser.Element($"#delivery-attempts[data-id='{id}']");
        Assert.Contains("gave up", attempts.FindElement(By.Id("attempts-table")).Text, StringComparison.Ordinal);
        browser.Screenshot("deliveries");

        browser.Element("#delivery-replay").Click();
        browser.Until(d => d.FindElement(By.Id("deliveries-status")).Text.Contains("Replayed delivery", StringComparison.Ordinal));
        await DeadLetterAsync(host, target, replays: 1);

        // Every dead letter since an hour ago, for this target.
        ((IJavaScriptExecutor)browser.Driver).ExecuteScript(
            "const d = new Date(Date.now() - 3600e3); document.getElementById('replay-since').value = new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19);");
        browser.SelectValue("#replay-target", target);
        browser.Element("#replay-all-submit").Click();
        browser.Until(d => d.FindElement(By.Id("deliveries-status")).Text.Contains("Replayed 1 dead letter", StringComparison.Ordinal));
        await DeadLetterAsync(host, target, replays: 2);
        browser.AssertNoErrors();
    }

    /// <summary>An async target whose endpoint is a loopback port nobody listens on.</summary>
    private static async Task<string> CreateClosedPortTargetAsync(SampleHost host)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var response = await host.SendAsync(
            HttpMethod.Post,
            "/v2beta/actions/targets",
            $$$"""{"name":"closed-port","endpoint":"http://127.0.0.1:{{{port}}}/events","timeout":"2s","restAsync":{}}""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return (string)JsonNode.Parse(text)!["id"]!;
    }

    /// <summary>Waits until the target's latest delivery is a dead letter replayed <paramref name="replays"/> times; answers its id.</summary>
    private static async Task<string> DeadLetterAsync(SampleHost host, string target, int replays)
    {
        JsonNode? latest = null;
        for (var tries = 0; tries < 400; tries++)
        {
            using var list = await host.SendAsync(HttpMethod.Get, $"/v2/actions/deliveries?targetId={target}&limit=1", key: SampleHost.ReaderKey);
            latest = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["result"]!.AsArray().FirstOrDefault();
            if (string.Equals((string?)latest?["status"], "DELIVERY_STATUS_DEAD_LETTERED", StringComparison.Ordinal) && (int)latest!["replays"]! == replays)
            {
                return (string)latest["id"]!;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"No dead letter replayed {replays} time(s) for the target; the latest delivery: {latest?.ToJsonString() ?? "none"}.");
        return "";
    }
}
