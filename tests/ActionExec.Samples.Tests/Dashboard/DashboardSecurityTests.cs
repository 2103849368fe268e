using ActionExec.Samples.Tests.Support;
using OpenQA.Selenium;

namespace ActionExec.Samples.Tests.Dashboard;

/// <summary>The dashboard's security in a real browser against the sample outside Development.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardSecurityTests(DashboardBrowser browser)
{
    [Fact]
    public void Dashboard_NotSignedIn_SignInPageInsteadOfTheApp()
    {
        browser.SignOut();
        browser.Driver.Navigate().GoToUrl(new Uri(browser.BaseAddress, "actions/"));

        Assert.Equal("Sign in", browser.Element("h1").Text);
        Assert.Empty(browser.Driver.FindElements(By.Id("nav")));
        browser.Element("#sign-in").Click();
        Assert.Equal("key", browser.Element("#key").GetAttribute("name"));
    }

    [Fact]
    public void Dashboard_ReaderKey_SeesNoChangeButtonsAndTheApiRefusesAChange()
    {
        browser.SignIn(SampleHost.ReaderKey);
        browser.Open("targets");
        Assert.Equal("read only", browser.Element("#read-only").Text);
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("#target-new, [data-action]")));
        Assert.Empty(browser.Driver.FindElements(By.Id("nav-console")));
        browser.Open("deliveries");
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("#replay-all, #delivery-replay")));
        browser.AssertNoErrors();

        // The page would not offer it, and the API refuses it anyway: same handlers, same permission checker.
        var (status, body) = browser.Fetch("POST", "/v2beta/actions/targets", """{"name":"by-reader","endpoint":"http://127.0.0.1:1/","timeout":"1s","restCall":{}}""");
        Assert.Equal(403, status);
        Assert.Equal(7, (int)body!["code"]!);
        var (listed, targets) = browser.Fetch("GET", "/v2beta/actions/targets");
        Assert.Equal(200, listed);
        Assert.DoesNotContain("by-reader", targets!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_PostWithoutAntiforgeryToken_RefusedAndNothingCreated()
    {
        browser.SignIn(SampleHost.AdminKey);
        browser.Open("targets");

        var (status, body) = browser.Fetch("POST", "/v2beta/actions/targets", """{"name":"forged","endpoint":"http://127.0.0.1:1/","timeout":"1s","restCall":{}}""", withAntiforgery: false);

        Assert.Equal(403, status);
        Assert.Equal(7, (int)body!["code"]!);
        Assert.Contains("antiforgery", (string?)body["message"], StringComparison.Ordinal);
        var (_, targets) = browser.Fetch("GET", "/v2beta/actions/targets");
        Assert.DoesNotContain("forged", targets!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_InlineStyleInjected_BlockedByTheContentSecurityPolicyAndReported()
    {
        browser.SignIn(SampleHost.AdminKey);
        browser.Open("targets");
        browser.AssertNoErrors();

        // An inline style attribute is blocked by style-src 'self' (no request leaves the page); the reporter records it.
        ((IJavaScriptExecutor)browser.Driver).ExecuteScript("const p = document.createElement('p'); p.setAttribute('style', 'color: red'); document.body.append(p);");

        browser.Until(_ => browser.RecordedErrors().Contains("csp", StringComparison.Ordinal));
        Assert.Contains("style-src", browser.RecordedErrors(), StringComparison.Ordinal);
        browser.Open("targets");
        Assert.Equal("[]", browser.RecordedErrors());
    }
}
