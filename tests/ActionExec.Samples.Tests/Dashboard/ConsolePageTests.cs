using ActionExec.Samples.Tests.Support;
using ActionExec.Tests.Support;
using OpenQA.Selenium;

namespace ActionExec.Samples.Tests.Dashboard;

/// <summary>The Console page in a real browser: Fusio's execute on one target and on an execution's chain.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ConsolePageTests(DashboardBrowser browser)
{
    [Fact]
    public async Task Console_Target_ShowsTheTargetsStatusHeadersAndBody()
    {
        var host = browser.Host;
        var target = await host.CreateTargetAsync("console-call", "restCall", interrupt: false);
        host.Receiver.Answer("/console-call", ReceiverAnswer.Json("""{"greeting":"hello <b>Ada</b>"}""", status: 201));
        browser.SignIn(SampleHost.AdminKey);
        browser.Open("console", "target=" + target);

        browser.SelectValue("#console-method", "PUT");
        browser.Element("#console-parameters").SendKeys("page=2");
        browser.Element("#console-body").SendKeys("""{"name": "Ada"}""");
        browser.Element("#console-run").Click();

        Assert.Equal("201", browser.Element("#console-status-code").Text);
        Assert.Contains("hello <b>Ada</b>", browser.Element("#console-answer-body").Text, StringComparison.Ordinal);
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("#console-answer-body b")));
        Assert.Contains("application/json", browser.Element("#console-headers-table").Text, StringComparison.Ordinal);
        var received = Assert.Single(host.Receiver.RequestsTo("/console-call"));
        Assert.Equal("PUT", (string?)received.Json["method"]);
        Assert.Equal("2", (string?)received.Json["parameters"]!["page"]);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task Console_ExecutionChain_ShowsOneTraceRowPerTarget()
    {
        var host = browser.Host;
        var first = await host.CreateTargetAsync("chain-first", "restCall", interrupt: true);
        var second = await host.CreateTargetAsync("chain-second", "restCall", interrupt: true);
        host.Receiver.Answer("/chain-first", ReceiverAnswer.Json("""{"name":"Ada"}"""));
        host.Receiver.Answer("/chain-second", ReceiverAnswer.Json("""{"name":"Ada Lovelace"}"""));
        await host.SetExecutionAsync("""{"request":{"method":"/demo.v1.GreeterService/SayHello"}}""", first, second);
        browser.SignIn(SampleHost.AdminKey);
        browser.Open("console", "execution=request/demo.v1.GreeterService/SayHello");

        browser.Element("#console-body").SendKeys("""{"name": "ada"}""");
        browser.Element("#console-run").Click();

        var trace = browser.Element("#console-trace");
        var rows = trace.FindElements(By.CssSelector("tbody tr"));
        Assert.Equal(["chain-first", "chain-second"], rows.Select(static r => r.FindElement(By.TagName("td")).Text));
        Assert.Equal("200", browser.Element("#console-status-code").Text);
        Assert.Contains("Ada Lovelace", browser.Element("#console-answer-body").Text, StringComparison.Ordinal);
        browser.Screenshot("console");
        browser.AssertNoErrors();
    }
}
