using System.Net;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Catalog;
using Microsoft.Extensions.DependencyInjection;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Api.V2;

/// <summary>The discovery lists of ZITADEL's GA API, and our events and groups, against the catalog.</summary>
public sealed class V2DiscoveryApiTests
{
    [Theory]
    [InlineData("functions", """{"functions":["preaccesstoken","preuserinfo"]}""")]
    [InlineData("methods", """{"methods":["/pkg.v1.Other/Call","/pkg.v1.Service/Get","/pkg.v1.Service/List"]}""")]
    [InlineData("services", """{"services":["pkg.v1.Other","pkg.v1.Service"]}""")]
    [InlineData("events", """{"events":["org.added","user.human.added","user.machine.added"]}""")]
    [InlineData("groups", """{"groups":["org","user","user.human","user.machine"]}""")]
    public async Task List_CatalogConfigured_AnswersItsNamesSorted(string list, string expected)
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/v2/actions/executions/" + list, key: TestAuthenticationHandler.Nobody);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Lists_EqualTheCatalogsNames()
    {
        await using var host = await StartAsync();
        var catalog = host.App.Services.GetRequiredService<ActionCatalog>();

        foreach (var (list, names) in new[]
        {
            ("functions", CatalogNames.Functions(catalog)),
            ("methods", CatalogNames.Methods(catalog)),
            ("services", CatalogNames.Services(catalog)),
            ("events", CatalogNames.Events(catalog)),
            ("groups", CatalogNames.Groups(catalog)),
        })
        {
            using var response = await host.SendAsync(HttpMethod.Get, "/v2/actions/executions/" + list);
            var json = await V2TargetsApiTests.OkObjectAsync(response);
            Assert.Equal(names, json[list]!.AsArray().Select(n => (string)n!));
        }
    }

    [Theory]
    [InlineData("functions")]
    [InlineData("events")]
    public async Task List_UnrestrictedCatalog_AnswersAnEmptyList(string list)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/v2/actions/executions/" + list);

        Assert.Equal($$"""{"{{list}}":[]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task List_NoCredentials_Answers401Code16()
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/v2/actions/executions/methods", key: null);

        await BodyAsync(response, HttpStatusCode.Unauthorized, 16);
    }

    private static Task<ApiHost> StartAsync() => ApiHost.StartAsync(configure: static b => b.AddCatalog(static c => c
        .AddMethods("/pkg.v1.Service/List", "pkg.v1.Service/Get", "/pkg.v1.Other/Call")
        .AddEvents("user.human.added", "user.machine.added", "org.added")
        .AddFunctions("preuserinfo", "preaccesstoken")));
}
