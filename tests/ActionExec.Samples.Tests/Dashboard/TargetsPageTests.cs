using ActionExec.Samples.Tests.Support;
using OpenQA.Selenium;

namespace ActionExec.Samples.Tests.Dashboard;

/// <summary>The Targets page in a real browser against the sample: create, edit, rotate, delete, and names that stay text.</summary>
[Collection(DashboardCollection.Name)]
public sealed class TargetsPageTests(DashboardBrowser browser)
{
    [Fact]
    public void Targets_CreateTwoSearchEditRotateDelete_EachShownAndTheKeyShownOnce()
    {
        browser.SignIn(SampleHost.AdminKey);
        browser.Open("targets");
        var first = Create("orders-webhook", browser.Host.Receiver.Url("/orders"), "restWebhook", interrupt: true);
        var firstKey = browser.Element("#signing-key").Text;
        Assert.Matches("^[A-Za-z0-9_-]{20,}$", firstKey);
        var second = Create("audit-async", browser.Host.Receiver.Url("/audit"), "restAsync", interrupt: false);
        Assert.NotEqual(first, second);
        Assert.NotEqual(firstKey, browser.Element("#signing-key").Text);

        var row = Row("orders-webhook");
        var cells = row.FindElements(By.TagName("td")).Select(static c => c.Text).ToList();
        Assert.Equal(["orders-webhook", "webhook"], cells.Take(2));
        Assert.Equal("yes", cells[4]);
        Assert.Equal("JSON", cells[5]);
        Assert.Equal("no deliveries", browser.Until(_ => Row("audit-async").FindElement(By.CssSelector("[data-health]")).Text is { Length: > 1 } text && !string.Equals(text, "…", StringComparison.Ordinal) ? text : null));
        browser.Screenshot("targets");

        // The search asks the GA search route for names containing the text, ignoring case.
        browser.Element("#targets-search").SendKeys("ORDERS");
        browser.Until(d => d.FindElements(By.CssSelector("#targets-table tr[data-name='audit-async']")).Count == 0);
        Assert.Single(browser.Driver.FindElements(By.CssSelector("#targets-table tr[data-name='orders-webhook']")));
        browser.Open("targets");

        // The key of a target is shown when it is replaced, once, and differs from the old one.
        Row("orders-webhook").FindElement(By.CssSelector("[data-action='rotate']")).Click();
        var rotated = browser.Until(_ => browser.Element("#signing-key").Text is { Length: > 20 } key && !string.Equals(key, firstKey, StringComparison.Ordinal) ? key : null);
        Assert.NotEqual(firstKey, rotated);
        browser.Element("#signing-key-done").Click();
        Assert.Empty(browser.Driver.FindElements(By.Id("signing-key")));

        // Edit: the timeout changes and stays changed after a reload.
        Row("audit-async").FindElement(By.CssSelector("[data-action='edit']")).Click();
        var timeout = browser.Element("#target-timeout");
        timeout.Clear();
        timeout.SendKeys("2.5");
        browser.Element("#target-save").Click();
        browser.Until(_ => string.Equals(Row("audit-async").FindElements(By.TagName("td"))[3].Text, "2.5 s", StringComparison.Ordinal));
        browser.Open("targets");
        Assert.Equal("2.5 s", Row("audit-async").FindElements(By.TagName("td"))[3].Text);

        // Delete asks first; keeping it changes nothing, confirming removes it.
        Row("audit-async").FindElement(By.CssSelector("[data-action='delete']")).Click();
        Row("audit-async").FindElement(By.CssSelector("[data-action='cancel-delete']")).Click();
        browser.Element("#targets-table tr[data-name='audit-async'] [data-action='delete']").Click();
        Row("audit-async").FindElement(By.CssSelector("[data-action='confirm-delete']")).Click();
        browser.Until(d => d.FindElements(By.CssSelector("#targets-table tr[data-name='audit-async']")).Count == 0);
        Assert.Single(browser.Driver.FindElements(By.CssSelector("#targets-table tr[data-name='orders-webhook']")));
        browser.AssertNoErrors();
    }

    [Fact]
    public void Targets_NameIsMarkup_ShownAsTextAndNeverRun()
    {
        const string Name = "<img src=x onerror=alert(1)>";
        browser.SignIn(SampleHost.AdminKey);
        browser.Open("targets");
        Create(Name, browser.Host.Receiver.Url("/xss"), "restCall", interrupt: false);
        browser.Open("targets");

        var cell = browser.Until(d => d.FindElements(By.CssSelector("#targets-table .target-name")).FirstOrDefault(e => string.Equals(e.Text, Name, StringComparison.Ordinal)));
        Assert.NotNull(cell);
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("#targets-table img, #page img")));
        Assert.Throws<NoAlertPresentException>(() => browser.Driver.SwitchTo().Alert());
        browser.AssertNoErrors();
    }

    private IWebElement Row(string name) => browser.Element($"#targets-table tr[data-name='{name}']");

    private string Create(string name, string endpoint, string type, bool interrupt)
    {
        browser.Element("#target-new").Click();
        browser.Element("#target-name").SendKeys(name);
        browser.Element("#target-endpoint").SendKeys(endpoint);
        browser.SelectValue("#target-type", type);
        var timeout = browser.Element("#target-timeout");
        timeout.Clear();
        timeout.SendKeys("5");
        if (interrupt)
        {
            browser.Element("#target-interrupt").Click();
        }

        browser.Element("#target-save").Click();
        browser.Element("#signing-key");
        return browser.Until(d => d.FindElements(By.CssSelector("#targets-table tr[data-id]"))
            .FirstOrDefault(r => string.Equals(r.GetAttribute("data-name"), name, StringComparison.Ordinal))?.GetAttribute("data-id"))!;
    }
}
