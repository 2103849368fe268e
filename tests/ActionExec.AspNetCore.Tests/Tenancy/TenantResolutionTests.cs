using System.Net;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Tenancy;

public sealed class TenantResolutionTests
{
    private const string TenantA = "tenant-a";
    private const string TenantB = "tenant-b";

    [Fact]
    public async Task Api_TwoTenants_NeverSeeEachOther()
    {
        await using var host = await ApiHost.StartAsync(configure: b => b.UseTenantResolver<HeaderTenantResolver>());
        var (id, _) = await host.CreateTargetAsync("hook", tenant: TenantA);

        using var listA = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", tenant: TenantA);
        using var listB = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", tenant: TenantB);
        using var getB = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets/" + id, tenant: TenantB);
        using var setB = await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", $$$"""{"condition":{"event":{"all":true}},"targets":["{{{id}}}"]}""", tenant: TenantB);
        using var deleteB = await host.SendAsync(HttpMethod.Delete, "/v2beta/actions/targets/" + id, tenant: TenantB);
        using var getA = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets/" + id, tenant: TenantA);

        Assert.Equal([id], JsonNode.Parse(await listA.Content.ReadAsStringAsync())!["result"]!.AsArray().Select(t => (string)t!["id"]!));
        Assert.Equal("""{"details":{"totalResult":"0","appliedLimit":"0"},"result":[]}""", await listB.Content.ReadAsStringAsync());
        await ErrorAsync(getB, HttpStatusCode.NotFound, 5, $"The target '{id}' does not exist in tenant '{TenantB}'; list the targets to find its id.");
        await BodyAsync(setB, HttpStatusCode.NotFound, 5);
        await BodyAsync(deleteB, HttpStatusCode.NotFound, 5);
        Assert.Equal(HttpStatusCode.OK, getA.StatusCode);
    }

    [Fact]
    public async Task Api_SameNameInTwoTenants_IsAllowed()
    {
        await using var host = await ApiHost.StartAsync(configure: b => b.UseTenantResolver(new HeaderTenantResolver()));

        var (a, _) = await host.CreateTargetAsync("hook", tenant: TenantA);
        var (b, _) = await host.CreateTargetAsync("hook", tenant: TenantB);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Api_SetExecution_ResourceOwnerIsTheResolvedTenant()
    {
        await using var host = await ApiHost.StartAsync(configure: b => b.UseTenantResolver<HeaderTenantResolver>());

        using var response = await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", """{"condition":{"event":{"all":true}},"targets":[]}""", tenant: TenantB);

        Assert.Equal(TenantB, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["details"]!["resourceOwner"]);
    }

    [Fact]
    public async Task Api_ResolverFindsNoTenant_Answers400Code3NamingTheProblem()
    {
        await using var host = await ApiHost.StartAsync(configure: b => b.UseTenantResolver<HeaderTenantResolver>());

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets");

        await ErrorAsync(
            response,
            HttpStatusCode.BadRequest,
            3,
            "No tenant was found for this request: the HeaderTenantResolver found none; send the request with what it reads the tenant from.");
    }

    [Fact]
    public async Task Api_DefaultResolverWithoutTenant_Answers400Code3()
    {
        await using var host = await ApiHost.StartAsync(api: o => o.DefaultTenantId = null);

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets");

        await ErrorAsync(
            response,
            HttpStatusCode.BadRequest,
            3,
            "No tenant was found for this request: ActionExecutionsApiOptions.DefaultTenantId is empty; set it, or register a tenant resolver with UseTenantResolver.");
    }

    [Fact]
    public async Task DefaultResolver_AnswersTheConfiguredTenant()
    {
        await using var host = await ApiHost.StartAsync(api: o => o.DefaultTenantId = "configured");
        var resolver = host.App.Services.GetRequiredService<IActionTenantResolver>();

        Assert.Equal("configured", await resolver.ResolveTenantAsync(new DefaultHttpContext(), default));
    }
}
