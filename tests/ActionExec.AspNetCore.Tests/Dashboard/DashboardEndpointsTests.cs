using System.Net;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.AspNetCore.Tests.Dashboard;

/// <summary>What <c>GET {prefix}/api/me</c> tells the pages besides the user: the limits the Executions page checks before saving.</summary>
public sealed class DashboardEndpointsTests
{
    [Theory]
    [InlineData(null, 2)]
    [InlineData(0, 0)]
    [InlineData(5, 5)]
    public async Task Me_AnyMaxIncludeDepth_AnswersTheEnginesLimit(int? configured, int expected)
    {
        await using var host = await ApiHost.StartAsync(
            map: static app => app.MapActionExecutionsDashboard("/actions", static o => o.Authorization = static _ => true),
            services: services =>
            {
                if (configured is { } depth)
                {
                    services.Configure<ActionExecutionOptions>(o => o.MaxIncludeDepth = depth);
                }
            });

        using var response = await host.SendAsync(HttpMethod.Get, "/actions/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(expected, (int)me["limits"]!["maxIncludeDepth"]!);
    }
}
