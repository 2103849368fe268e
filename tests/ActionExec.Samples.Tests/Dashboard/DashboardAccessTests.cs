using System.Net;
using System.Text.Json.Nodes;
using ActionExec.Samples.Tests.Support;

namespace ActionExec.Samples.Tests.Dashboard;

/// <summary>Who may open the sample's dashboard, and the headers of its answers, over plain HTTP.</summary>
public sealed class DashboardAccessTests
{
    private const string Csp =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    [Fact]
    public async Task Dashboard_OutsideDevelopmentWithoutSignIn_401PageAndApi401EvenWithTheBearerKey()
    {
        await using var host = await SampleHost.StartAsync("--environment", "Production");

        using var page = await host.Client.GetAsync("/actions/");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("href=\"/sign-in\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertSecurityHeaders(page);

        using var script = await host.Client.GetAsync("/actions/app.js");
        Assert.Equal(HttpStatusCode.Unauthorized, script.StatusCode);

        // The dashboard's policy reads only its cookie: a bearer key, good for the API at the root, does not open it.
        using var me = await host.SendAsync(HttpMethod.Get, "/actions/api/me", key: SampleHost.AdminKey);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(16, (int)JsonNode.Parse(await me.Content.ReadAsStringAsync())!["code"]!);
        AssertSecurityHeaders(me);
    }

    [Fact]
    public async Task Dashboard_Development_OpenLocallyAsTheDevelopmentUserWithEveryPermission()
    {
        await using var host = await SampleHost.StartAsync("--environment", "Development");

        using var me = await host.Client.GetAsync("/actions/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = JsonNode.Parse(await me.Content.ReadAsStringAsync())!;
        Assert.Equal("development", (string?)body["user"]);
        Assert.Equal(SampleHost.Tenant, (string?)body["tenant"]);
        Assert.Equal(6, body["permissions"]!.AsArray().Count);
        AssertSecurityHeaders(me);
        Assert.Equal("no-store", me.Headers.CacheControl?.ToString());

        using var page = await host.Client.GetAsync("/actions/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        AssertSecurityHeaders(page);
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_UnknownKey_401AndNoCookie()
    {
        await using var host = await SampleHost.StartAsync("--environment", "Production");
        using var form = await host.Client.GetAsync("/sign-in");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);

        using var content = new FormUrlEncodedContent([new("key", "not-a-key")]);
        using var posted = await host.Client.PostAsync("/sign-in", content);

        // Without the form's antiforgery token the form is refused before the key is read.
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.False(posted.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(static c => c.StartsWith("ActionExec.Sample.Dashboard=", StringComparison.Ordinal)));
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(Csp, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
    }
}
