using System.Net;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Management;
using Microsoft.Extensions.DependencyInjection;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Api;

/// <summary>How the management API authorises its callers: every caller is a user, checked by the registered permission checker.</summary>
public sealed class ActionExecutionsApiPermissionTests
{
    private const string Tenant = ApiHost.Tenant;

    /// <summary>Every route of the API, with a body where it takes one.</summary>
    public static TheoryData<string, string, string?> Routes => new()
    {
        { "PUT", "/v2beta/actions/executions", """{"condition":{"request":{"all":true}}}""" },
        { "PUT", "/v3alpha/executions", """{"condition":{"request":{"all":true}}}""" },
        { "GET", "/v2beta/actions/executions", null },
        { "GET", "/v2beta/actions/executions/match?kind=request&value=/a.B/C", null },
        { "POST", "/v2beta/actions/targets", """{"name":"a","endpoint":"https://a.example.com","timeout":"1s","restAsync":{}}""" },
        { "GET", "/v2beta/actions/targets", null },
        { "GET", "/v2beta/actions/targets/t1", null },
        { "PATCH", "/v2beta/actions/targets/t1", """{"name":"b"}""" },
        { "DELETE", "/v2beta/actions/targets/t1", null },
        { "POST", "/v2beta/actions/targets/t1/signing-key", null },
        { "GET", "/v2/actions/deliveries", null },
        { "GET", "/v2/actions/deliveries/d1", null },
        { "POST", "/v2/actions/deliveries/d1/replay", null },
        { "POST", "/v2/actions/deliveries/replay", """{"since":"2024-12-18T00:00:00Z"}""" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Api_NoCredentials_Answers401Code16(string method, string path, string? body)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), path, body, key: null);

        await ErrorAsync(response, HttpStatusCode.Unauthorized, 16, "The request is not authenticated; send the credentials this service accepts, such as an 'Authorization' header.");
    }

    [Fact]
    public async Task Api_UnknownCredentials_Answers401Code16()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", key: "forged");

        await BodyAsync(response, HttpStatusCode.Unauthorized, 16);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Api_NoPermission_Answers403Code7(string method, string path, string? body)
    {
        await using var host = await ApiHost.StartAsync();
        var read = string.Equals(method, "GET", StringComparison.Ordinal);
        var permission = path.Contains("targets", StringComparison.Ordinal) ? (read ? ActionPermissions.TargetRead : ActionPermissions.TargetWrite)
            : path.Contains("deliveries", StringComparison.Ordinal) ? (read ? ActionPermissions.DeliveryRead : ActionPermissions.DeliveryWrite)
            : (read ? ActionPermissions.ExecutionRead : ActionPermissions.ExecutionWrite);

        using var response = await host.SendAsync(new HttpMethod(method), path, body, key: TestAuthenticationHandler.Nobody);

        await ErrorAsync(response, HttpStatusCode.Forbidden, 7, $"The caller lacks the permission '{permission}' in tenant '{Tenant}'; ask an administrator to grant it.");
    }

    [Theory]
    [InlineData("PUT", "/v2beta/actions/executions", "action.execution.write")]
    [InlineData("POST", "/v2beta/actions/targets", "action.target.write")]
    [InlineData("PATCH", "/v2beta/actions/targets/t1", "action.target.write")]
    [InlineData("POST", "/v2/actions/deliveries/replay", "action.delivery.write")]
    public async Task Api_ReaderSendsInvalidBody_Answers403BeforeReadingIt(string method, string path, string permission)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), path, "{not json", key: TestAuthenticationHandler.Reader);

        await ErrorAsync(response, HttpStatusCode.Forbidden, 7, $"The caller lacks the permission '{permission}' in tenant '{Tenant}'; ask an administrator to grant it.");
    }

    [Fact]
    public async Task Api_Reader_CanRead()
    {
        await using var host = await ApiHost.StartAsync();

        using var targets = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", key: TestAuthenticationHandler.Reader);
        using var executions = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/executions", key: TestAuthenticationHandler.Reader);

        Assert.Equal(HttpStatusCode.OK, targets.StatusCode);
        Assert.Equal(HttpStatusCode.OK, executions.StatusCode);
    }

    [Fact]
    public async Task Api_ConfiguredClaimType_GrantsFromThatClaim()
    {
        await using var host = await ApiHost.StartAsync(configure: b => b.Services.Configure<ActionExecutionOptions>(o => o.PermissionClaimType = "scope"));

        using var scoped = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", key: TestAuthenticationHandler.Scoped);
        using var admin = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", key: TestAuthenticationHandler.Admin);

        Assert.Equal(HttpStatusCode.OK, scoped.StatusCode);
        await BodyAsync(admin, HttpStatusCode.Forbidden, 7);
    }
}
