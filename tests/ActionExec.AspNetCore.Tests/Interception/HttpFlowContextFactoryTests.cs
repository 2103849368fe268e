using System.Security.Claims;
using ActionExec.Dispatch;
using ActionExec.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace ActionExec.AspNetCore.Tests.Interception;

public sealed class HttpFlowContextFactoryTests
{
    private const string Tenant = "tenant-1";

    private static IFlowContextFactory Factory(Action<IActionExecutionsBuilder>? configure = null, string? tenant = Tenant)
    {
        var resolver = Substitute.For<IActionTenantResolver>();
        resolver.ResolveTenantAsync(default!, default).ReturnsForAnyArgs(tenant);
        var services = new ServiceCollection().AddLogging();
        var builder = services.AddActionExecutions().AddActionExecutionsApi().UseTenantResolver(resolver);
        configure?.Invoke(builder);
        return services.BuildServiceProvider().GetRequiredService<IFlowContextFactory>();
    }

    private static DefaultHttpContext Request(params Claim[] claims)
    {
        var http = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test")) };
        http.Request.Headers["X-Trace"] = new(["a", "b"]);
        http.Request.Headers.UserAgent = "tests";
        return http;
    }

    [Fact]
    public async Task CreateAsync_Request_TakesTenantUserAndHeaders()
    {
        var context = await Factory().CreateAsync(Request(new Claim("sub", "user-1")), default);

        Assert.Equal(Tenant, context.TenantId);
        Assert.Equal("user-1", context.UserId);
        Assert.Null(context.OrgId);
        Assert.Null(context.ProjectId);
        Assert.Equal(["a", "b"], context.Headers.Single(h => string.Equals(h.Key, "X-Trace", StringComparison.Ordinal)).Value);
        Assert.Equal(["tests"], context.Headers.Single(h => string.Equals(h.Key, "User-Agent", StringComparison.Ordinal)).Value);
    }

    [Fact]
    public async Task CreateAsync_NameIdentifierAndSub_PrefersNameIdentifier()
    {
        var context = await Factory().CreateAsync(Request(new Claim("sub", "from-sub"), new Claim(ClaimTypes.NameIdentifier, "from-name-identifier")), default);

        Assert.Equal("from-name-identifier", context.UserId);
    }

    [Fact]
    public async Task CreateAsync_ConfiguredDelegates_RunInOrderOnTheContextSoFar()
    {
        var factory = Factory(b => b
            .ConfigureFlowContext((http, context) => context with { OrgId = "org-of-" + context.UserId })
            .ConfigureFlowContext((http, context, _) => ValueTask.FromResult(context with { ProjectId = context.OrgId + "/project" })));

        var context = await factory.CreateAsync(Request(new Claim("sub", "user-1")), default);

        Assert.Equal("org-of-user-1", context.OrgId);
        Assert.Equal("org-of-user-1/project", context.ProjectId);
        Assert.Equal("user-1", context.UserId);
    }

    [Fact]
    public async Task CreateAsync_DelegateReturnsNull_ThrowsSayingWhatToReturn()
    {
        var factory = Factory(b => b.ConfigureFlowContext((_, _) => null!));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.CreateAsync(Request(), default).AsTask());

        Assert.Contains("ConfigureFlowContext", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_NoTenant_FailsWithInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => Factory(tenant: null).CreateAsync(Request(), default).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
    }

    [Fact]
    public async Task CreateAsync_NullHttpContext_ThrowsNamingIt()
    {
        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => Factory().CreateAsync(null!, default).AsTask());

        Assert.Equal("httpContext", error.ParamName);
    }

    [Fact]
    public void ConfigureFlowContext_WithoutTheApi_RegistersTheFactory()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddActionExecutions().ConfigureFlowContext((_, context) => context);

        Assert.Single(services, d => d.ServiceType == typeof(IFlowContextFactory));
    }

    [Fact]
    public void ConfigureFlowContext_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddActionExecutions();

        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => builder.ConfigureFlowContext((Func<HttpContext, FlowContext, FlowContext>)null!)).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((IActionExecutionsBuilder)null!).ConfigureFlowContext((_, c) => c)).ParamName);
    }
}
