using System.Globalization;
using System.Text.Json.Nodes;
using ActionExec.Samples.Tests.Docs;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ActionExec.Samples.Tests.Support;

/// <summary>
/// One headless Chromium (Debian's <c>/usr/bin/chromium</c> through <c>/usr/bin/chromedriver</c>, never a downloaded browser) and
/// one copy of the WebApi sample outside Development (so the dashboard needs a sign-in), shared by every test of the
/// <see cref="DashboardCollection"/>. The sample's deliveries get one attempt, so that a failed delivery is a dead letter at
/// once. Screenshots go to <c>screenshots/</c> under the test output; with <c>ACTIONEXEC_UPDATE_SCREENSHOTS=1</c> they are also
/// copied to <c>docs/images/</c> for the README.
/// </summary>
public sealed class DashboardBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string ChromeDriverFolder = "/usr/bin";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private int _loads;

    public SampleHost Host { get; private set; } = null!;

    public ChromeDriver Driver { get; private set; } = null!;

    /// <summary>The sample's address, with a trailing slash.</summary>
    public Uri BaseAddress => Host.Client.BaseAddress!;

    public async Task InitializeAsync()
    {
        // Selenium Manager must never download a browser or a driver: both are given, and it is told to stay offline.
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        Host = await SampleHost.StartAsync("--environment", "Production", "--ActionExec:Delivery:RetrySchedule:0=00:00:00");
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900", "--no-first-run", "--disable-extensions");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(ChromeDriverFolder, "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().AsynchronousJavaScript = Wait;
    }

    public async Task DisposeAsync()
    {
        Driver?.Quit();
        Driver?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    /// <summary>
    /// Signs out, then signs in through the sample's form with <paramref name="key"/>, and waits for the dashboard. Each test starts
    /// here, so the browser console's entries of the tests before are dropped first.
    /// </summary>
    public void SignIn(string key)
    {
        _ = Driver.Manage().Logs.GetLog(LogType.Browser);
        SignOut();
        Driver.Navigate().GoToUrl(new Uri(BaseAddress, "sign-in"));
        Driver.FindElement(By.Id("key")).SendKeys(key);
        Driver.FindElement(By.Id("sign-in")).Click();
        Until(d => d.FindElements(By.CssSelector("#nav a")).Count > 0);
    }

    /// <summary>Removes every cookie of the sample's origin: the next page load is anonymous.</summary>
    public void SignOut()
    {
        if (Driver.Url.StartsWith(BaseAddress.ToString(), StringComparison.Ordinal))
        {
            Driver.Manage().Cookies.DeleteAllCookies();
        }
        else
        {
            Driver.Navigate().GoToUrl(new Uri(BaseAddress, "sign-in"));
            Driver.Manage().Cookies.DeleteAllCookies();
        }
    }

    /// <summary>Loads the dashboard afresh on <paramref name="page"/> (with an optional route query) and waits until the page has rendered.</summary>
    public IWebElement Open(string page, string? query = null)
    {
        var load = Interlocked.Increment(ref _loads);
        Driver.Navigate().GoToUrl(new Uri(BaseAddress, $"actions/?load={load}#/{page}{(query is null ? "" : "?" + query)}"));
        return Until(d => d.FindElements(By.CssSelector($"section[data-page='{page}'][data-ready='true']")).FirstOrDefault())!;
    }

    /// <summary>Waits until <paramref name="condition"/> answers something other than null or false.</summary>
    public T Until<T>(Func<IWebDriver, T> condition)
    {
        var wait = new WebDriverWait(Driver, Wait) { PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    /// <summary>Waits for the element matching <paramref name="css"/> to be displayed.</summary>
    public IWebElement Element(string css) => Until(d => d.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed))!;

    /// <summary>Chooses <paramref name="value"/> in the select matching <paramref name="css"/>, as a user would (a change event follows).</summary>
    public void SelectValue(string css, string value)
    {
        var select = Element(css);
        ((IJavaScriptExecutor)Driver).ExecuteScript(
            "const [select, value] = arguments; select.value = value; if (select.value !== value) { throw new Error('no option ' + value); } select.dispatchEvent(new Event('change', { bubbles: true }));",
            select,
            value);
    }

    /// <summary>Runs an API call from the page with fetch, as the dashboard's own script would (same cookies), and answers status and body.</summary>
    public (int Status, JsonNode? Body) Fetch(string method, string path, string? json = null, bool withAntiforgery = true)
    {
        const string Script = """
            const [method, path, body, withToken, done] = arguments;
            (async () => {
              const me = await (await fetch('api/me', { cache: 'no-store' })).json();
              const headers = { 'Content-Type': 'application/json' };
              if (withToken) { headers[me.antiforgery.headerName] = me.antiforgery.token; }
              const response = await fetch('api' + path, { method, headers, body: body ?? undefined });
              done(JSON.stringify({ status: response.status, body: await response.text() }));
            })().catch((error) => done(JSON.stringify({ status: -1, body: String(error) })));
            """;
        var answer = JsonNode.Parse((string?)((IJavaScriptExecutor)Driver).ExecuteAsyncScript(Script, method, path, json, withAntiforgery) ?? "null")!;
        var text = (string?)answer["body"];
        return ((int)answer["status"]!, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
    }

    /// <summary>What the dashboard's error reporter recorded: window errors, unhandled rejections and CSP violations.</summary>
    public string RecordedErrors() =>
        (string?)((IJavaScriptExecutor)Driver).ExecuteScript("return JSON.stringify(window.__actionExecErrors ?? 'no reporter');") ?? "null";

    /// <summary>The browser console's errors (SEVERE entries), such as a blocked resource.</summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        [.. Driver.Manage().Logs.GetLog(LogType.Browser).Where(static e => e.Level >= LogLevel.Severe).Select(static e => e.Message)];

    /// <summary>Asserts that the page recorded no error and no CSP violation, and that the console has no error.</summary>
    public void AssertNoErrors()
    {
        Assert.Equal("[]", RecordedErrors());
        Assert.Empty(ConsoleErrors());
    }

    private int ViewportHeight() =>
        Convert.ToInt32(((IJavaScriptExecutor)Driver).ExecuteScript("return window.innerHeight;"), CultureInfo.InvariantCulture);

    /// <summary>Saves a screenshot of the window as <c>screenshots/&lt;name&gt;.png</c> under the test output (and docs/images/ when asked).</summary>
    public string Screenshot(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");

        // The whole page, not only the window: the window grows to the page's height for the shot.
        var height = Convert.ToInt32(((IJavaScriptExecutor)Driver).ExecuteScript("return document.documentElement.scrollHeight;"), CultureInfo.InvariantCulture);
        var window = Driver.Manage().Window;
        var size = window.Size;
        window.Size = new System.Drawing.Size(size.Width, Math.Clamp(height + (size.Height - ViewportHeight()), size.Height, 4000));
        try
        {
            Driver.GetScreenshot().SaveAsFile(path);
        }
        finally
        {
            window.Size = size;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("ACTIONEXEC_UPDATE_SCREENSHOTS"), "1", StringComparison.Ordinal))
        {
            var images = Path.Combine(ReadmeQuickStartTests.RepositoryRoot(), "docs", "images");
            Directory.CreateDirectory(images);
            File.Copy(path, Path.Combine(images, "dashboard-" + name + ".png"), overwrite: true);
        }

        return path;
    }
}
