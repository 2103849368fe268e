using System.Net;
using ActionExec.Samples.Tests.Support;
using ActionExec.Tests.Support;
using OpenQA.Selenium;

namespace ActionExec.Samples.Tests.Dashboard;

/// <summary>
/// The Explain page in a real browser against the sample: which execution a method matches, at which level, its flattened
/// targets in the order they run, an include that resolved to nothing, and the same chain run from the console.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ExplainPageTests(DashboardBrowser browser)
{
    private const string TokenService = """{"response":{"service":"demo.v1.TokenService"}}""";
    private const string IssueToken = """{"response":{"method":"/demo.v1.TokenService/IssueToken"}}""";
    private const string Id = "response/demo.v1.TokenService/IssueToken";

    [Fact]
    public async Task Explain_Method_ShowsTheMatchItsLevelTheFlattenedTargetsAndAnEmptyInclude()
    {
        var a = await browser.Host.CreateTargetAsync("explain-a");
        var b = await browser.Host.CreateTargetAsync("explain-b");
        var c = await browser.Host.CreateTargetAsync("explain-c");
        await browser.Host.SetExecutionAsync(TokenService, c);
        await SetAsync(IssueToken, Target(a), Include(TokenService), Target(b));
        try
        {
            browser.SignIn(SampleHost.AdminKey);
            browser.Open("explain");
            browser.SelectValue("#explain-kind", "response");
            browser.Element("#explain-value").SendKeys("/demo.v1.TokenService/IssueToken");
            browser.Element("#explain-submit").Click();

            Assert.Equal(Id, browser.Element(".explain-matched").Text);
            Assert.Equal("method", browser.Element(".explain-level").Text);
            Assert.Equal(["explain-a", "explain-c", "explain-b"], TargetNames());
            var levels = browser.Driver.FindElements(By.CssSelector(".explain-candidates tbody tr"))
                .Select(static r => r.FindElements(By.TagName("td")).Select(static d => d.Text).ToList())
                .ToList();
            Assert.Equal([Id, "yes", "yes"], levels[0]);
            Assert.Equal(["response/demo.v1.TokenService", "yes", ""], levels[1]);
            Assert.Equal("response", levels[2][0]);
            Assert.Empty(browser.Driver.FindElements(By.CssSelector(".explain-unresolved")));
            browser.Screenshot("explain");

            // The included execution emptied: the include resolves to nothing, and the page says so. The address explains at once.
            await SetAsync(TokenService);
            browser.Open("explain", "kind=response&value=/demo.v1.TokenService/IssueToken");
            browser.Until(_ => TargetNames().SequenceEqual(["explain-a", "explain-b"]));
            Assert.Equal(["response/demo.v1.TokenService"], browser.Driver.FindElements(By.CssSelector(".explain-unresolved li")).Select(static e => e.Text));
            browser.AssertNoErrors();
        }
        finally
        {
            await SetAsync(IssueToken);
            await SetAsync(TokenService);
        }
    }

    [Fact]
    public async Task Explain_TryTheChainInTheConsole_RunsEveryTargetInOrder()
    {
        var a = await browser.Host.CreateTargetAsync("chain-a");
        var b = await browser.Host.CreateTargetAsync("chain-b");
        var c = await browser.Host.CreateTargetAsync("chain-c");
        foreach (var name in new[] { "chain-a", "chain-b", "chain-c" })
        {
            browser.Host.Receiver.Answer("/" + name, ReceiverAnswer.Ok);
        }

        await browser.Host.SetExecutionAsync(TokenService, c);
        await SetAsync(IssueToken, Target(a), Include(TokenService), Target(b));
        try
        {
            browser.SignIn(SampleHost.AdminKey);
            browser.Open("explain", "kind=response&value=/demo.v1.TokenService/IssueToken");
            browser.Until(_ => TargetNames().Count == 3);
            browser.Element(".explain-console").Click();

            browser.Until(d => d.FindElements(By.CssSelector("section[data-page='console'][data-ready='true']")).Count == 1);
            Assert.Equal(Id, browser.Element("#console-execution").GetAttribute("value"));
            browser.Element("#console-run").Click();
            var trace = browser.Until(d => d.FindElements(By.CssSelector("#console-trace tbody tr")) is { Count: 3 } rows ? rows : null)!;
            Assert.Equal(["chain-a", "chain-c", "chain-b"], trace.Select(static r => r.FindElements(By.TagName("td"))[0].Text));
            Assert.Equal(3, browser.Host.Receiver.RequestsTo("/chain-a").Count + browser.Host.Receiver.RequestsTo("/chain-b").Count + browser.Host.Receiver.RequestsTo("/chain-c").Count);
            browser.AssertNoErrors();
        }
        finally
        {
            await SetAsync(IssueToken);
            await SetAsync(TokenService);
        }
    }

    private List<string> TargetNames() =>
        [.. browser.Driver.FindElements(By.CssSelector(".flattened-targets tbody tr.flattened-target")).Select(static r => r.FindElements(By.TagName("td"))[1].Text)];

    private static string Target(string id) => $$"""{"target":"{{id}}"}""";

    private static string Include(string condition) => $$"""{"include":{{condition}}}""";

    private async Task SetAsync(string condition, params string[] entries)
    {
        using var response = await browser.Host.SendAsync(HttpMethod.Put, "/v2beta/actions/executions", $$"""{"condition":{{condition}},"targets":[{{string.Join(",", entries)}}]}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
