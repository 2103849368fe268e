using System.Net;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Management;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.AspNetCore.Tests.Dashboard;

public sealed class ActionExecutionsDashboardEndpointRouteBuilderExtensionsTests
{
    private const string Csp =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("actions")]
    [InlineData("/actions/")]
    [InlineData("/actions/{tenant}")]
    [InlineData("//actions")]
    [InlineData("/actions?x")]
    public void MapActionExecutionsDashboard_PrefixNotAPlainPath_ThrowsNamingIt(string prefix)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddActionExecutions().AddActionExecutionsApi();
        using var app = builder.Build();

        var error = Assert.Throws<ArgumentException>(() => app.MapActionExecutionsDashboard(prefix));

        Assert.Equal("prefix", error.ParamName);
        Assert.Contains($"'{prefix}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapActionExecutionsDashboard_ApiNotRegistered_ThrowsNamingTheRegistration()
    {
        using var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapActionExecutionsDashboard());

        Assert.Contains("AddActionExecutionsApi()", error.Message, StringComparison.Ordinal);
        Assert.Contains("MapActionExecutionsDashboard()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapActionExecutionsDashboard_EveryApiRoute_MappedAgainUnderTheDashboardWithTheSameMethod()
    {
        await using var host = await ApiHost.StartAsync(map: static app => app.MapActionExecutionsDashboard("/ops/actions"));
        var endpoints = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        const string Root = "ActionExec ";
        const string Dashboard = "ActionExec dashboard ";

        var api = endpoints.Where(static e => e.DisplayName!.StartsWith(Root, StringComparison.Ordinal) && !e.DisplayName.StartsWith("ActionExec dashboard", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(api);
        foreach (var endpoint in api)
        {
            var again = Assert.Single(endpoints, e => string.Equals(e.DisplayName, Dashboard + endpoint.DisplayName![Root.Length..], StringComparison.Ordinal));
            Assert.Equal("/ops/actions/api" + endpoint.RoutePattern.RawText, again.RoutePattern.RawText);
            Assert.Equal(Methods(endpoint), Methods(again));
        }
    }

    [Fact]
    public async Task Dashboard_NoAuthorizationOutsideDevelopment_403PageEvenForAnAdmin()
    {
        await using var host = await ApiHost.StartAsync(map: static app => app.MapActionExecutionsDashboard());

        using var page = await host.SendAsync(HttpMethod.Get, "/actions/");
        using var api = await host.SendAsync(HttpMethod.Get, "/actions/api/v2beta/actions/targets");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Development", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertHeaders(page);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal(7, (int)JsonNode.Parse(await api.Content.ReadAsStringAsync())!["code"]!);
        AssertHeaders(api);
    }

    [Fact]
    public async Task Dashboard_Predicate_401WithoutUserAnd403ForAUserItRefuses()
    {
        await using var host = await ApiHost.StartAsync(map: static app => app.MapActionExecutionsDashboard("/actions", static o =>
        {
            o.Authorization = static http => http.User.HasClaim("permission", ActionPermissions.TargetRead);
            o.SignInPath = "/login";
        }));

        using var anonymous = await host.SendAsync(HttpMethod.Get, "/actions/", key: null);
        using var nobody = await host.SendAsync(HttpMethod.Get, "/actions/", key: TestAuthenticationHandler.Nobody);
        using var reader = await host.SendAsync(HttpMethod.Get, "/actions/", key: TestAuthenticationHandler.Reader);
        using var readerApi = await host.SendAsync(HttpMethod.Get, "/actions/api/v2beta/actions/targets", key: TestAuthenticationHandler.Reader);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("href=\"/login\"", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, nobody.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readerApi.StatusCode);
        Assert.Equal("no-store", readerApi.Headers.CacheControl?.ToString());
        AssertHeaders(readerApi);
    }

    [Fact]
    public async Task Dashboard_Files_ServedWithTheirTypeAndETagAnd304WhenUnchanged()
    {
        await using var host = await ApiHost.StartAsync(map: static app => app.MapActionExecutionsDashboard("/actions", static o => o.Authorization = static _ => true));

        using var redirect = await host.SendAsync(HttpMethod.Get, "/actions", key: null);
        using var index = await host.SendAsync(HttpMethod.Get, "/actions/", key: null);
        using var script = await host.SendAsync(HttpMethod.Get, "/actions/app.js", key: null);
        using var style = await host.SendAsync(HttpMethod.Get, "/actions/app.css", key: null);
        using var missing = await host.SendAsync(HttpMethod.Get, "/actions/nothing.js", key: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/actions/app.js");
        request.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        using var again = await host.Client.SendAsync(request);

        Assert.Equal("/actions/", redirect.RequestMessage?.RequestUri?.AbsolutePath);
        Assert.Equal("text/html", redirect.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", script.Headers.CacheControl?.ToString());
        Assert.False(script.Headers.ETag!.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        AssertHeaders(script);
        AssertHeaders(missing);
    }

    [Fact]
    public async Task DashboardApi_ChangeWithAndWithoutAntiforgeryToken_OnlyTheTokenedOneRuns()
    {
        await using var host = await ApiHost.StartAsync(map: static app => app.MapActionExecutionsDashboard("/actions", static o => o.Authorization = static _ => true));
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = host.Client.BaseAddress };
        browser.DefaultRequestHeaders.Authorization = new("Bearer", TestAuthenticationHandler.Admin);
        var me = JsonNode.Parse(await browser.GetStringAsync("/actions/api/me"))!;
        var body = $$$"""{"name":"t","endpoint":"{{{host.Receiver.Url("/t")}}}","timeout":"1s","restCall":{}}""";

        using var forged = await browser.PostAsync("/actions/api/v2beta/actions/targets", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        using var tokened = new HttpRequestMessage(HttpMethod.Post, "/actions/api/v2beta/actions/targets") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        tokened.Headers.Add((string)me["antiforgery"]!["headerName"]!, (string)me["antiforgery"]!["token"]!);
        using var created = await browser.SendAsync(tokened);

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(7, (int)JsonNode.Parse(await forged.Content.ReadAsStringAsync())!["code"]!);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("user-admin", (string?)me["user"]);
        Assert.Equal(ApiHost.Tenant, (string?)me["tenant"]);
        Assert.Equal(6, me["permissions"]!.AsArray().Count);
    }

    private static IReadOnlyList<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];

    private static void AssertHeaders(HttpResponseMessage response)
    {
        Assert.Equal(Csp, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
    }
}
