using System.Net;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Catalog;
using ActionExec.Conditions;
using ActionExec.Management;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Interception;

/// <summary>The methods of marked endpoints join a catalog that restricts methods, and leave an unrestricted one as it is.</summary>
public sealed class EndpointExecutionMethodsTests
{
    private const string Marked = Greeter.Method;
    private const string Misspelt = "/demo.v1.GreeterService/SayHelo";

    private readonly Greeter _greeter = new();

    private Task<ApiHost> StartAsync(Action<IActionExecutionsBuilder>? configure = null) =>
        ApiHost.StartAsync(configure: configure, map: _greeter.Map);

    private static string RequestMethod(string method) => $$$"""{"request":{"method":"{{{method}}}"}}""";

    private static async Task<HttpResponseMessage> SetAsync(ApiHost host, string condition, string targetId) =>
        await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", $$"""{"condition":{{condition}},"targets":[{"target":"{{targetId}}"}]}""");

    [Fact]
    public async Task SetExecution_MarkedMethodNotInTheCatalog_Succeeds()
    {
        await using var host = await StartAsync(b => b.AddCatalog(c => c.AddMethods("/other.v1.Service/Method")));
        var (id, _) = await host.CreateTargetAsync("audit");

        using var method = await SetAsync(host, RequestMethod(Marked), id);
        using var service = await SetAsync(host, """{"request":{"service":"demo.v1.GreeterService"}}""", id);

        Assert.Equal(HttpStatusCode.OK, method.StatusCode);
        Assert.Equal(HttpStatusCode.OK, service.StatusCode);
    }

    [Fact]
    public async Task SetExecution_UnmarkedMisspeltMethodWhenTheCatalogRestrictsMethods_FailsNamingTheCondition()
    {
        await using var host = await StartAsync(b => b.AddCatalog(c => c.AddMethods("/other.v1.Service/Method")));
        var (id, _) = await host.CreateTargetAsync("audit");

        using var response = await SetAsync(host, RequestMethod(Misspelt), id);

        var body = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal("condition.request.method", Assert.Single(Violations(body)).Field);
    }

    [Fact]
    public async Task SetExecution_CatalogWithoutMethods_StaysUnrestricted()
    {
        await using var host = await StartAsync(b => b.AddCatalog(c => c.AddEvents("user.added")));
        var (id, _) = await host.CreateTargetAsync("audit");

        using var response = await SetAsync(host, RequestMethod(Misspelt), id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Catalog_NoCatalogAtAll_StaysUnrestricted()
    {
        await using var host = await StartAsync();

        var catalog = host.App.Services.GetRequiredService<ActionCatalog>();

        Assert.Same(ActionCatalog.Unrestricted, catalog);
        Assert.True(catalog.Contains(Condition.RequestMethod(Misspelt)));
    }

    [Fact]
    public async Task SetExecution_HostCallerAfterStart_AcceptsTheMarkedMethod()
    {
        await using var host = await StartAsync(b => b.AddCatalog(c => c.AddMethods("/other.v1.Service/Method")));
        var management = host.App.Services.GetRequiredService<IActionManagement>();

        var details = await management.SetExecutionAsync(ManagementCaller.ForHost(ApiHost.Tenant), Condition.RequestMethod(Marked), []);

        Assert.NotNull(details);
    }

    [Fact]
    public async Task Catalog_ResolvedBeforeTheHostStarted_KnowsTheMarkedMethodsOnceStarted()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddActionExecutions().AddCatalog(c => c.AddMethods("/other.v1.Service/Method")).AddActionExecutionsApi();
        await using var app = builder.Build();
        var catalog = app.Services.GetRequiredService<ActionCatalog>();
        app.MapPost("/greet", () => Results.Ok()).WithExecutionMethod(Marked);
        var beforeStart = catalog.Contains(Condition.RequestMethod(Marked));

        await app.StartAsync();
        try
        {
            Assert.False(beforeStart);
            Assert.True(catalog.Contains(Condition.RequestMethod(Marked)));
            Assert.True(catalog.Contains(Condition.RequestService("demo.v1.GreeterService")));
            Assert.False(catalog.Contains(Condition.RequestMethod(Misspelt)));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task SetExecution_HostCallerBeforeTheHostStarted_AcceptsTheMarkedMethod()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddActionExecutions().AddCatalog(c => c.AddMethods()).AddActionExecutionsApi();
        await using var app = builder.Build();
        app.UseActionExecutions();
        app.MapPost("/greet", () => Results.Ok()).WithExecutionMethod(Marked);
        var management = app.Services.GetRequiredService<IActionManagement>();
        var host = ManagementCaller.ForHost(ApiHost.Tenant);

        await management.SetExecutionAsync(host, Condition.RequestMethod(Marked), []);
        var error = await Assert.ThrowsAsync<ActionExec.Errors.ActionExecException>(
            () => management.SetExecutionAsync(host, Condition.RequestMethod(Misspelt), []).AsTask());

        Assert.Equal(ActionExec.Errors.ActionExecErrorCode.InvalidArgument, error.Code);
    }
}
