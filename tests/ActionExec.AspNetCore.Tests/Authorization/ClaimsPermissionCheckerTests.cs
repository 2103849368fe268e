using System.Net;
using System.Security.Claims;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Management;
using Microsoft.Extensions.Options;
using NSubstitute;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Authorization;

public sealed class ClaimsPermissionCheckerTests
{
    private const string Tenant = ApiHost.Tenant;

    private static ClaimsPermissionChecker Checker(string claimType = "permission")
    {
        var options = Substitute.For<IOptionsMonitor<ActionExecutionsApiOptions>>();
        options.CurrentValue.Returns(new ActionExecutionsApiOptions { PermissionClaimType = claimType });
        return new ClaimsPermissionChecker(options);
    }

    private static ManagementCaller Caller(string? authenticationType, params Claim[] claims) =>
        new(Tenant, new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType)));

    [Fact]
    public async Task HasPermission_ClaimPresent_IsTrue()
    {
        var caller = Caller("Test", new Claim("permission", ActionPermissions.TargetRead));

        Assert.True(await Checker().HasPermissionAsync(caller, ActionPermissions.TargetRead, default));
    }

    [Fact]
    public async Task HasPermission_OtherPermissionOnly_IsFalse()
    {
        var caller = Caller("Test", new Claim("permission", ActionPermissions.TargetRead));

        Assert.False(await Checker().HasPermissionAsync(caller, ActionPermissions.TargetWrite, default));
    }

    [Fact]
    public async Task HasPermission_ValueInOtherCase_IsFalse()
    {
        var caller = Caller("Test", new Claim("permission", "Action.Target.Read"));

        Assert.False(await Checker().HasPermissionAsync(caller, ActionPermissions.TargetRead, default));
    }

    [Fact]
    public async Task HasPermission_UnauthenticatedIdentity_IsFalse()
    {
        var caller = Caller(authenticationType: null, new Claim("permission", ActionPermissions.TargetRead));

        Assert.False(await Checker().HasPermissionAsync(caller, ActionPermissions.TargetRead, default));
    }

    [Fact]
    public async Task HasPermission_NoUser_IsFalse()
    {
        Assert.False(await Checker().HasPermissionAsync(new ManagementCaller(Tenant), ActionPermissions.TargetRead, default));
    }

    [Fact]
    public async Task HasPermission_ConfiguredClaimType_ReadsThatType()
    {
        var caller = Caller("Test", new Claim("permission", ActionPermissions.TargetRead), new Claim("scope", ActionPermissions.TargetWrite));

        Assert.False(await Checker("scope").HasPermissionAsync(caller, ActionPermissions.TargetRead, default));
        Assert.True(await Checker("scope").HasPermissionAsync(caller, ActionPermissions.TargetWrite, default));
    }

    [Fact]
    public async Task HasPermission_NullArguments_Throw()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Checker().HasPermissionAsync(null!, ActionPermissions.TargetRead, default).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => Checker().HasPermissionAsync(new ManagementCaller(Tenant), "", default).AsTask());
    }

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
        var permission = string.Equals(method, "GET", StringComparison.Ordinal)
            ? (path.Contains("targets", StringComparison.Ordinal) ? ActionPermissions.TargetRead : ActionPermissions.ExecutionRead)
            : (path.Contains("targets", StringComparison.Ordinal) ? ActionPermissions.TargetWrite : ActionPermissions.ExecutionWrite);

        using var response = await host.SendAsync(new HttpMethod(method), path, body, key: TestAuthenticationHandler.Nobody);

        await ErrorAsync(response, HttpStatusCode.Forbidden, 7, $"The caller lacks the permission '{permission}' in tenant '{Tenant}'; ask an administrator to grant it.");
    }

    [Theory]
    [InlineData("PUT", "/v2beta/actions/executions", "action.execution.write")]
    [InlineData("POST", "/v2beta/actions/targets", "action.target.write")]
    [InlineData("PATCH", "/v2beta/actions/targets/t1", "action.target.write")]
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
        await using var host = await ApiHost.StartAsync(api: o => o.PermissionClaimType = "scope");

        using var scoped = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", key: TestAuthenticationHandler.Scoped);
        using var admin = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", key: TestAuthenticationHandler.Admin);

        Assert.Equal(HttpStatusCode.OK, scoped.StatusCode);
        await BodyAsync(admin, HttpStatusCode.Forbidden, 7);
    }
}
