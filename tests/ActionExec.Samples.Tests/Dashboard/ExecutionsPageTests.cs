using System.Net;
using System.Text.Json.Nodes;
using ActionExec.Samples.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace ActionExec.Samples.Tests.Dashboard;

/// <summary>
/// The Executions page in a real browser against the sample: an execution built with an include, reordered by drag and drop
/// and by the keyboard (each order read back through the API), the include graph, a cycle refused before saving, the server's
/// own refusal shown, and a read-only user who sees the entries but no way to change them. Each test uses conditions of its
/// own and removes its executions afterwards, as the browser and the sample are shared by the whole collection.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ExecutionsPageTests(DashboardBrowser browser)
{
    private const string TokenService = """{"response":{"service":"demo.v1.TokenService"}}""";
    private const string IssueToken = """{"response":{"method":"/demo.v1.TokenService/IssueToken"}}""";
    private const string GreeterService = """{"response":{"service":"demo.v1.GreeterService"}}""";
    private const string SayGoodbye = """{"response":{"method":"/demo.v1.GreeterService/SayGoodbye"}}""";
    private const string SayHello = """{"response":{"method":"/demo.v1.GreeterService/SayHello"}}""";
    private const string AllResponses = """{"response":{"all":true}}""";

    [Fact]
    public async Task Executions_BuildWithIncludeThenReorderByKeyboardAndByDrag_SavesEachOrder()
    {
        var a = await browser.Host.CreateTargetAsync("exec-order-a");
        var b = await browser.Host.CreateTargetAsync("exec-order-b");
        var c = await browser.Host.CreateTargetAsync("exec-order-c");
        await browser.Host.SetExecutionAsync(TokenService, c);
        try
        {
            browser.SignIn(SampleHost.AdminKey);
            browser.Open("executions");

            // A new execution, its entries picked by typing: two targets and an include of the service's execution.
            browser.SelectValue("#new-execution-kind", "response");
            browser.SelectValue("#new-execution-scope", "method");
            browser.Element("#new-execution-value").SendKeys("/demo.v1.TokenService/IssueToken");
            browser.Element("#new-execution-add").Click();
            const string Id = "response/demo.v1.TokenService/IssueToken";
            Pick(Id, "add-target", "exec-order-a");
            Pick(Id, "add-target", "exec-order-b");
            Pick(Id, "add-include", "response/demo.v1.TokenService");
            Assert.Equal(["exec-order-a", "exec-order-b", "response/demo.v1.TokenService"], Labels(Id));
            Save(Id);
            Assert.Equal([Target(a), Target(b), Include(TokenService)], SavedEntries(IssueToken));

            // The graph: an arrow from the new execution to the one it includes.
            Assert.Single(browser.Driver.FindElements(By.CssSelector(
                $"svg.include-graph path.include-edge[data-from='{Id}'][data-to='response/demo.v1.TokenService']")));

            // Keyboard: the include, focused, moves up with Alt+ArrowUp; focus stays on it and the move is announced.
            Row(Id, 2).FindElement(By.CssSelector(".entry-label")).Click();
            new Actions(browser.Driver).KeyDown(Keys.Alt).SendKeys(Keys.ArrowUp).KeyUp(Keys.Alt).Perform();
            browser.Until(_ => Labels(Id).SequenceEqual(["exec-order-a", "response/demo.v1.TokenService", "exec-order-b"]));
            Assert.Equal("include:response/demo.v1.TokenService", ActiveEntryKey());
            browser.Until(d => d.FindElement(By.Id("executions-live")).GetAttribute("textContent") is { } text
                && text.Contains("Moved response/demo.v1.TokenService to position 2 of 3", StringComparison.Ordinal));
            Assert.Single(Card(Id).FindElements(By.CssSelector(".badge.unsaved")));
            Save(Id);
            Assert.Equal([Target(a), Include(TokenService), Target(b)], SavedEntries(IssueToken));

            // Drag and drop: the last entry dropped on the upper half of the first one becomes the first.
            Drag(Row(Id, 2), Row(Id, 0), lowerHalf: false);
            browser.Until(_ => Labels(Id).SequenceEqual(["exec-order-b", "exec-order-a", "response/demo.v1.TokenService"]));
            Save(Id);
            Assert.Equal([Target(b), Target(a), Include(TokenService)], SavedEntries(IssueToken));

            // And down again: the first entry dropped on the lower half of the second one comes after it.
            Drag(Row(Id, 0), Row(Id, 1), lowerHalf: true);
            browser.Until(_ => Labels(Id).SequenceEqual(["exec-order-a", "exec-order-b", "response/demo.v1.TokenService"]));
            Save(Id);
            Assert.Equal([Target(a), Target(b), Include(TokenService)], SavedEntries(IssueToken));

            browser.Screenshot("executions");
            browser.AssertNoErrors();
        }
        finally
        {
            await RemoveAsync(IssueToken, TokenService);
        }
    }

    [Fact]
    public async Task Executions_IncludeMakesCycle_SaveDisabledWithTheServersReasonAndTheServersRefusalShown()
    {
        var t = await browser.Host.CreateTargetAsync("exec-cycle-t");
        await browser.Host.SetExecutionAsync(GreeterService, t);
        await browser.Host.SetExecutionAsync(SayHello, t);
        await SetAsync(SayGoodbye, Target(t), Include(GreeterService));
        try
        {
            browser.SignIn(SampleHost.AdminKey);
            browser.Open("executions");

            // Including SayGoodbye in the service it includes closes a cycle: refused here, before anything is sent.
            const string Greeter = "response/demo.v1.GreeterService";
            Pick(Greeter, "add-include", "response/demo.v1.GreeterService/SayGoodbye");
            const string Cycle = "include cycle: response/demo.v1.GreeterService -> response/demo.v1.GreeterService/SayGoodbye -> response/demo.v1.GreeterService";
            Assert.False(Card(Greeter).FindElement(By.CssSelector(".save-execution")).Enabled);
            Assert.Equal("Save is disabled: " + Cycle, Card(Greeter).FindElement(By.CssSelector(".save-reason")).Text);
            Assert.Equal(2, browser.Driver.FindElements(By.CssSelector("svg.include-graph path.include-edge.problem")).Count);
            Assert.Contains(Cycle, browser.Element(".include-graph-figure figcaption").Text, StringComparison.Ordinal);
            browser.Screenshot("executions-cycle");

            // The server gives the same reason for the same change.
            var (status, body) = browser.Fetch("PUT", "/v2beta/actions/executions", $$"""{"condition":{{GreeterService}},"targets":[{{Target(t)}},{{Include(SayGoodbye)}}]}""");
            Assert.Equal(400, status);
            Assert.Equal(9, (int)body!["code"]!);
            Assert.Equal(Cycle, (string?)body["message"]);

            Card(Greeter).FindElement(By.CssSelector(".discard-execution")).Click();
            Assert.Empty(Card(Greeter).FindElements(By.CssSelector(".badge.unsaved")));

            // A change that is fine when the page was loaded, refused by the server after another change: the refusal is shown.
            browser.SelectValue("#new-execution-kind", "response");
            browser.SelectValue("#new-execution-scope", "all");
            browser.Element("#new-execution-add").Click();
            Pick("response", "add-include", "response/demo.v1.GreeterService/SayGoodbye");
            Assert.True(Card("response").FindElement(By.CssSelector(".save-execution")).Enabled);
            await SetAsync(GreeterService, Target(t), Include(SayHello));
            Card("response").FindElement(By.CssSelector(".save-execution")).Click();
            var refusal = browser.Until(_ => Card("response").FindElements(By.CssSelector(".server-error")).FirstOrDefault())!.Text;
            Assert.Equal(
                "The server refused the change: include depth 3 exceeds 2: response -> response/demo.v1.GreeterService/SayGoodbye -> response/demo.v1.GreeterService -> response/demo.v1.GreeterService/SayHello",
                refusal);
            Assert.Null(SavedEntries(AllResponses));

            // The page read the executions again: its own check now gives the same reason, and Save stays disabled.
            Assert.Equal(
                "Save is disabled: include depth 3 exceeds 2: response -> response/demo.v1.GreeterService/SayGoodbye -> response/demo.v1.GreeterService -> response/demo.v1.GreeterService/SayHello",
                Card("response").FindElement(By.CssSelector(".save-reason")).Text);
            Assert.False(Card("response").FindElement(By.CssSelector(".save-execution")).Enabled);

            // The only console errors are the two refused requests' own 400s; the page recorded nothing.
            Assert.Equal("[]", browser.RecordedErrors());
            Assert.All(browser.ConsoleErrors(), e => Assert.Contains("400", e, StringComparison.Ordinal));
        }
        finally
        {
            await RemoveAsync(AllResponses, SayGoodbye, GreeterService, SayHello);
        }
    }

    [Fact]
    public async Task Executions_ReadOnlyUser_SeesEntriesButNoWayToChangeThemAndTheApiRefuses()
    {
        var t = await browser.Host.CreateTargetAsync("exec-reader-t");
        await browser.Host.SetExecutionAsync("""{"function":{"name":"preuserinfo"}}""", t);
        try
        {
            browser.SignIn(SampleHost.ReaderKey);
            browser.Open("executions");
            Assert.Equal(["exec-reader-t"], Labels("function/preuserinfo"));
            Assert.Empty(browser.Driver.FindElements(By.CssSelector(
                "#new-execution-add, .save-execution, .remove-entry, .move-up, .move-down, .entry-adders, .remove-execution, .try-in-console, .entry[draggable], .entry[tabindex]")));

            var (status, body) = browser.Fetch("PUT", "/v2beta/actions/executions", """{"condition":{"function":{"name":"preuserinfo"}},"targets":[]}""");
            Assert.Equal(403, status);
            Assert.Equal(7, (int)body!["code"]!);
            Assert.Equal([Target(t)], SavedEntries("""{"function":{"name":"preuserinfo"}}"""));

            // The refused request's own 403 is the only console error; the page recorded nothing.
            Assert.Equal("[]", browser.RecordedErrors());
            Assert.All(browser.ConsoleErrors(), e => Assert.Contains("403", e, StringComparison.Ordinal));
        }
        finally
        {
            await RemoveAsync("""{"function":{"name":"preuserinfo"}}""");
        }
    }

    private IWebElement Card(string id) => browser.Element($"article.execution-card[data-id='{id}']");

    private IWebElement Row(string id, int index) => browser.Element($"article.execution-card[data-id='{id}'] .entry[data-index='{index}']");

    private List<string> Labels(string id) =>
        [.. browser.Driver.FindElements(By.CssSelector($"article.execution-card[data-id='{id}'] .entry .entry-label")).Select(static e => e.Text)];

    private string? ActiveEntryKey() =>
        (string?)((IJavaScriptExecutor)browser.Driver).ExecuteScript("return document.activeElement?.dataset?.key ?? null;");

    /// <summary>Types <paramref name="text"/> into a picker of the execution's card and takes the first option with Enter.</summary>
    private void Pick(string id, string picker, string text)
    {
        var count = Labels(id).Count;
        var input = browser.Element($"article.execution-card[data-id='{id}'] .{picker} input");
        input.SendKeys(text);
        browser.Until(d => d.FindElements(By.CssSelector($"article.execution-card[data-id='{id}'] .{picker} .picker-option[aria-selected='true']")).Count == 1);
        input.SendKeys(Keys.Enter);
        browser.Until(_ => Labels(id).Count == count + 1);
    }

    private void Save(string id)
    {
        Card(id).FindElement(By.CssSelector(".save-execution")).Click();
        browser.Until(d => d.FindElement(By.Id("executions-live")).GetAttribute("textContent") is { } text
            && text.Contains($"Saved {id}.", StringComparison.Ordinal));
        Assert.Empty(Card(id).FindElements(By.CssSelector(".badge.unsaved")));
    }

    /// <summary>
    /// Drags <paramref name="source"/> onto a half of <paramref name="target"/> with the browser's own drag events (dragstart,
    /// dragenter, dragover, drop, dragend, one DataTransfer), at the rows' real coordinates. Chromedriver's pointer actions
    /// cannot start a native HTML5 drag in headless Chromium, so the events the browser would fire are fired here.
    /// </summary>
    private void Drag(IWebElement source, IWebElement target, bool lowerHalf)
    {
        const string Script = """
            const [source, target, lowerHalf] = arguments;
            const data = new DataTransfer();
            const at = (element, lower) => {
              const box = element.getBoundingClientRect();
              return { clientX: box.left + box.width / 2, clientY: lower ? box.bottom - 3 : box.top + 3 };
            };
            const fire = (element, type, point) => element.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data, ...point }));
            fire(source, 'dragstart', at(source, false));
            fire(target, 'dragenter', at(target, lowerHalf));
            fire(target, 'dragover', at(target, lowerHalf));
            fire(target, 'drop', at(target, lowerHalf));
            fire(source, 'dragend', at(source, false));
            """;
        ((IJavaScriptExecutor)browser.Driver).ExecuteScript(Script, source, target, lowerHalf);
    }

    private static string Target(string id) => $$"""{"target":"{{id}}"}""";

    private static string Include(string condition) => $$"""{"include":{{condition}}}""";

    /// <summary>The stored entries of the execution of <paramref name="condition"/>, read through the API, or null when there is none.</summary>
    private List<string>? SavedEntries(string condition)
    {
        var (status, body) = browser.Fetch("GET", "/v2beta/actions/executions");
        Assert.Equal(200, status);
        var wanted = JsonNode.Parse(condition)!;
        var execution = body!["result"]!.AsArray().FirstOrDefault(e => JsonNode.DeepEquals(e!["condition"], wanted));
        return execution is null ? null : [.. execution["targets"]!.AsArray().Select(static e => e!.ToJsonString())];
    }

    private async Task SetAsync(string condition, params string[] entries)
    {
        using var response = await browser.Host.SendAsync(HttpMethod.Put, "/v2beta/actions/executions", $$"""{"condition":{{condition}},"targets":[{{string.Join(",", entries)}}]}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Empties the executions (an empty list removes one), so the next test of the collection starts without them.</summary>
    private async Task RemoveAsync(params string[] conditions)
    {
        foreach (var condition in conditions)
        {
            await SetAsync(condition);
        }
    }
}
