using System.Net.Http.Headers;
using System.Security.Claims;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Storage;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ActionExec.AspNetCore.Tests.Reliability;

/// <summary>
/// Sends generated and mutated input over real HTTP to every route of the API that takes a body, to the test console, and to
/// the routes without a body with bad path and query values. Every answer must be a 2xx, or a 4xx with the error body of
/// spec §10 (at most 64 KiB); a rejected request, and any request to a route that only reads, must leave the stored state
/// exactly as it was; an accepted change moves the sequence by one and reads back. The counts per route are written to the
/// test output (<c>dotnet test --filter BadInputTests --logger "console;verbosity=detailed"</c>); set
/// <c>ACTIONEXEC_BADINPUT_LOG</c> to a file name to get every request and answer as well.
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output)
{
    private const int Seed = 20_241_218;

    private const int BodyRequests = 10_500;

    private const int RouteRequests = 1_500;

    /// <summary>Names a file to write every request, its answer and every failure to, one line each.</summary>
    private const string LogVariable = "ACTIONEXEC_BADINPUT_LOG";

    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity(
        [.. new[] { ActionPermissions.TargetRead, ActionPermissions.TargetWrite, ActionPermissions.ExecutionRead, ActionPermissions.ExecutionWrite }
            .Select(p => new Claim(ActionExecutionOptions.DefaultPermissionClaimType, p))],
        TestAuthenticationHandler.SchemeName));

    private static readonly string[] ReadBackPaths = ["/v2beta/actions/targets", "/v2beta/actions/executions"];

    [Fact]
    public async Task Api_GeneratedAndMutatedInput_AnswersEveryRequestWithSuccessOrTheErrorBodyAndKeepsTheStateOfRejectedOnes()
    {
        await using var host = await ApiHost.StartAsync(configure: b => b.UseTenantResolver<HeaderTenantResolver>());
        host.Receiver.Answer("/" + FuzzTenant.HookName, ReceiverAnswer.Json("{}"));
        host.Receiver.Answer("/" + FuzzTenant.CallName, ReceiverAnswer.Json("""{"replaced": true}"""));
        host.Receiver.Answer("/" + FuzzTenant.AsyncName, ReceiverAnswer.Ok);
        var store = host.App.Services.GetRequiredService<IActionStore>();
        var management = host.App.Services.GetRequiredService<IActionManagement>();
        var receiver = host.Receiver.BaseAddress.ToString();
        var generator = new BadInputGenerator(Seed, receiver);
        var tally = new BadInputTally();
        var failures = new List<string>();

        var logFile = Environment.GetEnvironmentVariable(LogVariable) is { Length: > 0 } path ? path : null;
        var log = logFile is null ? null : new List<string>();

        // Every accepted change moves the run on to a fresh copy of the tenant, so each request meets the same small state.
        var tenants = 0;
        var readBacks = 0;
        var other = await SeedAsync(management, "fuzz-other", receiver);
        var tenant = await SeedAsync(management, $"fuzz-{tenants++}", receiver);
        var before = await StoredState.ReadAsync(store, tenant.Id);
        for (var i = 0; i < BodyRequests + RouteRequests; i++)
        {
            var request = i % 8 == 7 ? generator.NextRouteRequest(tenant, other.HookId) : generator.NextBodyRequest(tenant);
            var (status, contentType, body) = await SendAsync(host.Client, request, tenant.Id);
            tally.Add(request, status);
            log?.Add(AnswerCheck.Printable($"{request.Route} | {request.Mutation} | {status} | {AnswerCheck.Text(body)}"));
            var after = await StoredState.ReadAsync(store, tenant.Id);
            var accepted = status is >= 200 and < 300;
            var problem = !request.RefusedByServer ? AnswerCheck.Problem(status, contentType, body)
                : status != 400 ? $"{status} where Kestrel refuses the request with 400"
                : null;
            if (problem is null && request.MeantValid && !accepted)
            {
                problem = "a valid request was rejected";
            }

            if (problem is null && after != before)
            {
                problem = !accepted ? "the rejected request changed the stored state"
                    : request.ReadOnly ? "a request to a route that only reads changed the stored state"
                    : after.Sequence != before.Sequence + 1 ? $"the sequence moved from {before.Sequence} to {after.Sequence}"
                    : null;
                if (problem is not null)
                {
                    problem += $"\nbefore: {before.Dump}\nafter:  {after.Dump}";
                }
            }

            if (problem is not null)
            {
                failures.Add(AnswerCheck.Printable($"#{i} {request}\n→ {status}: {AnswerCheck.Text(body)}\n{problem}"));
            }

            if (after != before)
            {
                // What was accepted must read back: a value stored but not writable would fail every later list.
                foreach (var list in ReadBackPaths)
                {
                    readBacks++;
                    var (listStatus, listType, listBody) = await SendAsync(host.Client, ReadBack(list), tenant.Id);
                    if (listStatus != 200 || AnswerCheck.Problem(listStatus, listType, listBody) is not null)
                    {
                        failures.Add(AnswerCheck.Printable($"#{i} {request}\n→ {status}, then GET {list} → {listStatus}: {AnswerCheck.Text(listBody)}\nthe accepted change does not read back"));
                    }
                }

                tenant = await SeedAsync(management, $"fuzz-{tenants++}", receiver);
                after = await StoredState.ReadAsync(store, tenant.Id);
            }

            before = after;
        }

        if (logFile is not null)
        {
            await File.WriteAllLinesAsync(logFile, [.. log!, "", .. failures]);
        }

        output.WriteLine($"Seed {Seed}: {tally.Sent:N0} requests, {tally.Accepted:N0} accepted, {tenants:N0} tenants, {readBacks:N0} read-backs of accepted changes.");
        output.WriteLine(tally.ToMarkdown());
        Assert.True(failures.Count == 0, $"{failures.Count} of {tally.Sent} answers were wrong; the first ones:\n\n{string.Join("\n\n", failures.Take(15))}");
        Assert.Equal(BodyRequests + RouteRequests, tally.Sent);
        Assert.All(tally.Routes.Values, r => Assert.Equal(r.Sent, r.Accepted + r.RefusedByServer + r.RejectedTotal));
        Assert.True(tally.Routes.Where(r => r.Key.StartsWith("P", StringComparison.Ordinal) && !r.Key.EndsWith("/signing-key", StringComparison.Ordinal)).Sum(r => r.Value.Sent) >= 10_000);
        Assert.All(
            new[]
            {
                BadInputGenerator.SetExecutionV2, BadInputGenerator.SetExecutionV3, BadInputGenerator.CreateTarget, BadInputGenerator.UpdateTarget,
                BadInputGenerator.ConsoleByTargetId, BadInputGenerator.ConsoleByTargetName, BadInputGenerator.ConsoleByExecutionId,
            },
            route => Assert.True(
                tally.Routes[route] is { Accepted: > 0, RejectedTotal: > 0 } counts && counts.MeantValid <= counts.Accepted,
                $"{route} should have both accepted and rejected requests."));
        Assert.Equal(0, tally.Routes[BadInputGenerator.ConsoleByUnknownId].Accepted);
        Assert.All(
            new[] { BadInputGenerator.ListDeliveries, BadInputGenerator.ReplayDeadLetters },
            route => Assert.True(tally.Routes[route] is { Accepted: > 0, RejectedTotal: > 0 }, $"{route} should have both accepted and rejected requests."));
        Assert.Equal(0, tally.Routes[BadInputGenerator.DeliveryById].Accepted);
    }

    [Fact]
    public void Generator_SameSeedAndTenant_MakesTheSameRequests()
    {
        var tenant = new FuzzTenant("t", new string('a', 32), new string('b', 32), new string('c', 32));
        var first = new BadInputGenerator(Seed, "http://127.0.0.1:1/");
        var second = new BadInputGenerator(Seed, "http://127.0.0.1:1/");

        for (var i = 0; i < 500; i++)
        {
            var a = i % 8 == 7 ? first.NextRouteRequest(tenant, "other") : first.NextBodyRequest(tenant);
            var b = i % 8 == 7 ? second.NextRouteRequest(tenant, "other") : second.NextBodyRequest(tenant);
            Assert.Equal(a.ToString(), b.ToString());
            Assert.Equal(a.Body, b.Body);
        }
    }

    private static FuzzRequest ReadBack(string path) =>
        new("read back", HttpMethod.Get, path, null, null, false, TestAuthenticationHandler.Admin, "read back", MeantValid: true, ReadOnly: true);

    private static async Task<(int Status, string? ContentType, byte[] Body)> SendAsync(HttpClient client, FuzzRequest request, string tenantId)
    {
        using var message = new HttpRequestMessage(request.Method, request.Path);
        message.Headers.Add(HeaderTenantResolver.Header, tenantId);
        if (request.Key is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.Key);
        }

        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }

            if (request.Chunked)
            {
                message.Headers.TransferEncodingChunked = true;
            }
        }

        using var response = await client.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
    }

    /// <summary>Creates the tenant of <see cref="FuzzTenant"/> through the management service.</summary>
    private static async Task<FuzzTenant> SeedAsync(IActionManagement management, string tenantId, string receiver)
    {
        var caller = ManagementCaller.ForUser(tenantId, Admin);
        async Task<string> CreateAsync(string name, TargetType type, bool interrupt) =>
            (await management.CreateTargetAsync(caller, new TargetSpec
            {
                Name = name,
                Endpoint = receiver + name,
                Type = type,
                Timeout = TimeSpan.FromSeconds(10),
                InterruptOnError = interrupt,
            })).Target.Id;

        var hook = await CreateAsync(FuzzTenant.HookName, TargetType.Webhook, interrupt: true);
        var call = await CreateAsync(FuzzTenant.CallName, TargetType.Call, interrupt: false);
        var async = await CreateAsync(FuzzTenant.AsyncName, TargetType.Async, interrupt: false);
        var method = Condition.Parse(FuzzTenant.MethodExecution);
        await management.SetExecutionAsync(caller, method, [ExecutionEntry.ForTarget(hook), ExecutionEntry.ForTarget(call)]);
        await management.SetExecutionAsync(caller, Condition.Parse(FuzzTenant.FunctionExecution), [ExecutionEntry.ForTarget(call)]);
        await management.SetExecutionAsync(caller, Condition.Parse(FuzzTenant.GroupExecution), [ExecutionEntry.ForInclude(method), ExecutionEntry.ForTarget(async)]);
        return new FuzzTenant(tenantId, hook, call, async);
    }
}
