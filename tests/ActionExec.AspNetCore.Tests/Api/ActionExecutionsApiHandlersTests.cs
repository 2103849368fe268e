using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NSubstitute;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Api;

public sealed class ActionExecutionsApiHandlersTests
{
    private const string Method = """{"request":{"method":"/pkg.v1.Service/Method"}}""";

    [Fact]
    public async Task SetExecutionV2_NewExecution_AnswersSetDateOfTheCommit()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, _) = await host.CreateTargetAsync("hook");
        host.Clock.SetUtcNow(new DateTimeOffset(2024, 12, 18, 7, 50, 48, 500, TimeSpan.Zero));

        using var response = await host.SendAsync(HttpMethod.Put, "/v2beta/actions/executions", $$"""{"condition":{{Method}},"targets":["{{id}}"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("""{"setDate":"2024-12-18T07:50:48.500Z"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SetExecutionV3_NewExecution_AnswersDetailsWithSequenceAsString()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, _) = await host.CreateTargetAsync("hook");

        using var response = await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", $$"""{"condition":{{Method}},"targets":[{"target":"{{id}}"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"details":{"sequence":"2","changeDate":"2024-12-18T07:50:47.492Z","resourceOwner":"69629023906488334"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SetExecutionV3_SameEntriesAgain_AnswersTheStoredDetails()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, _) = await host.CreateTargetAsync("hook");
        await host.SetExecutionAsync(Method, id);
        host.Clock.SetUtcNow(ApiHost.Start.AddMinutes(1));

        using var response = await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", $$"""{"condition":{{Method}},"targets":[{"target":"{{id}}"}]}""");

        Assert.Equal(
            """{"details":{"sequence":"2","changeDate":"2024-12-18T07:50:47.492Z","resourceOwner":"69629023906488334"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SetExecution_EmptyList_RemovesTheExecution()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, _) = await host.CreateTargetAsync("hook");
        await host.SetExecutionAsync(Method, id);

        using var response = await host.SendAsync(HttpMethod.Put, "/v2beta/actions/executions", $$"""{"condition":{{Method}},"targets":[]}""");
        using var list = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/executions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"details":{"totalResult":"0","appliedLimit":"0"},"result":[]}""", await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SetExecution_MissingTarget_Answers404Code5NamingIt()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", $$"""{"condition":{{Method}},"targets":[{"target":"nope"}]}""");

        var error = await ErrorAsync(response, HttpStatusCode.NotFound, 5, "Not found in tenant '69629023906488334': target 'nope'; create them first or remove them from the list.");
        Assert.Equal([("targets[0].target", "The target 'nope' does not exist in tenant '69629023906488334'; create it first or remove it from the list.")], Violations(error));
    }

    [Fact]
    public async Task SetExecution_SelfInclude_Answers400Code9NamingTheCycle()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", $$"""{"condition":{{Method}},"targets":[{"include":{{Method}}}]}""");

        await ErrorAsync(response, HttpStatusCode.BadRequest, 9, "include cycle: request/pkg.v1.Service/Method -> request/pkg.v1.Service/Method");
    }

    [Fact]
    public async Task SetExecution_FeatureDisabled_Answers400Code9()
    {
        await using var host = await ApiHost.StartAsync(services: s => s.Configure<ActionExecutionOptions>(o => o.ActionsEnabled = false));

        using var response = await host.SendAsync(HttpMethod.Put, "/v2beta/actions/executions", $$"""{"condition":{{Method}}}""");

        await ErrorAsync(
            response,
            HttpStatusCode.BadRequest,
            9,
            "feature flag actions is not enabled for tenant '69629023906488334'; enable the actions feature to use targets and executions.");
    }

    [Fact]
    public async Task SetExecution_InvalidConditionAndDuplicate_AnswersEveryViolation()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(
            HttpMethod.Put,
            "/v2beta/actions/executions",
            """{"condition":{"request":{"method":"/pkg.v1.Service/"}},"targets":["t1","t1"]}""");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        var violations = Violations(error);
        Assert.Equal(["condition.request.method", "targets[1]"], violations.Select(v => v.Field));
    }

    [Fact]
    public async Task CreateTarget_Valid_AnswersIdCreationDateAndSigningKeyOnly()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(
            HttpMethod.Post,
            "/v2beta/actions/targets",
            """{"name":"hook","endpoint":"https://hooks.example.com/a","timeout":"10s","restWebhook":{"interruptOnError":true}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["id", "creationDate", "signingKey"], json.Select(p => p.Key));
        Assert.False(string.IsNullOrEmpty((string?)json["id"]));
        Assert.Equal("2024-12-18T07:50:47.492Z", (string?)json["creationDate"]);
        Assert.True(((string)json["signingKey"]!).Length >= 32);
    }

    [Fact]
    public async Task CreateTarget_BrokenRules_AnswersEveryViolation()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/v2beta/actions/targets", """{"name":"","endpoint":"ftp://x","timeout":"0s","restCall":{}}""");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal(["name", "endpoint", "timeout"], Violations(error).Select(v => v.Field));
    }

    [Fact]
    public async Task CreateTarget_NameTaken_Answers409Code6()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, _) = await host.CreateTargetAsync("hook");

        using var response = await host.SendAsync(
            HttpMethod.Post,
            "/v2beta/actions/targets",
            """{"name":"hook","endpoint":"https://hooks.example.com/b","timeout":"5s","restAsync":{}}""");

        var error = await ErrorAsync(
            response,
            HttpStatusCode.Conflict,
            6,
            $"A target named 'hook' already exists in tenant '69629023906488334' (id '{id}'); choose another name or update that target.");
        Assert.Equal([("name", "The name 'hook' is taken.")], Violations(error));
    }

    [Fact]
    public async Task GetTarget_Existing_AnswersTheTargetInItsWrapperWithoutKey()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, _) = await host.CreateTargetAsync("hook", endpoint: "https://hooks.example.com/a");

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets/" + id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            $$$"""{"target":{"id":"{{{id}}}","name":"hook","endpoint":"https://hooks.example.com/a","timeout":"10s","restWebhook":{"interruptOnError":true},"payloadType":"PAYLOAD_TYPE_JSON","signatureScheme":"zitadel","creationDate":"2024-12-18T07:50:47.492Z","changeDate":"2024-12-18T07:50:47.492Z"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetTarget_Missing_Answers404Code5()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets/nope");

        await ErrorAsync(response, HttpStatusCode.NotFound, 5, "The target 'nope' does not exist in tenant '69629023906488334'; list the targets to find its id.");
    }

    [Fact]
    public async Task UpdateTarget_Change_AnswersTheTargetAfterIt()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, _) = await host.CreateTargetAsync("hook", endpoint: "https://hooks.example.com/a");
        host.Clock.SetUtcNow(ApiHost.Start.AddSeconds(3));

        using var response = await host.SendAsync(HttpMethod.Patch, "/v2beta/actions/targets/" + id, """{"name":"renamed","timeout":"1.500s","restCall":{"interruptOnError":false}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            $$$"""{"target":{"id":"{{{id}}}","name":"renamed","endpoint":"https://hooks.example.com/a","timeout":"1.500s","restCall":{"interruptOnError":false},"payloadType":"PAYLOAD_TYPE_JSON","signatureScheme":"zitadel","creationDate":"2024-12-18T07:50:47.492Z","changeDate":"2024-12-18T07:50:50.492Z"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UpdateTarget_NameOfAnother_Answers409Code6()
    {
        await using var host = await ApiHost.StartAsync();
        var (first, _) = await host.CreateTargetAsync("first");
        var (second, _) = await host.CreateTargetAsync("second");

        using var response = await host.SendAsync(HttpMethod.Patch, "/v2beta/actions/targets/" + second, """{"name":"first"}""");

        await ErrorAsync(
            response,
            HttpStatusCode.Conflict,
            6,
            $"A target named 'first' already exists in tenant '69629023906488334' (id '{first}'); choose another name or update that target.");
    }

    [Fact]
    public async Task UpdateTarget_Missing_Answers404Code5()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Patch, "/v2beta/actions/targets/nope", """{"name":"x"}""");

        await ErrorAsync(response, HttpStatusCode.NotFound, 5, "The target 'nope' does not exist in tenant '69629023906488334'; list the targets to find its id.");
    }

    [Fact]
    public async Task RotateSigningKey_Existing_AnswersANewKeyAndTheChangeDate()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, key) = await host.CreateTargetAsync("hook");
        host.Clock.SetUtcNow(ApiHost.Start.AddSeconds(1));

        using var response = await host.SendAsync(HttpMethod.Post, $"/v2beta/actions/targets/{id}/signing-key");
        using var get = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets/" + id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["signingKey", "changeDate"], json.Select(p => p.Key));
        Assert.NotEqual(key, (string?)json["signingKey"]);
        Assert.Equal("2024-12-18T07:50:48.492Z", (string?)json["changeDate"]);
        Assert.DoesNotContain((string)json["signingKey"]!, await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateSigningKey_Missing_Answers404Code5()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/v2beta/actions/targets/nope/signing-key");

        await ErrorAsync(response, HttpStatusCode.NotFound, 5, "The target 'nope' does not exist in tenant '69629023906488334'; list the targets to find its id.");
    }

    [Fact]
    public async Task DeleteTarget_Existing_AnswersDeletionDateAndRemovesItEverywhere()
    {
        await using var host = await ApiHost.StartAsync();
        var (kept, _) = await host.CreateTargetAsync("kept");
        var (deleted, _) = await host.CreateTargetAsync("deleted");
        await host.SetExecutionAsync(Method, deleted, kept);
        host.Clock.SetUtcNow(ApiHost.Start.AddSeconds(2));

        using var response = await host.SendAsync(HttpMethod.Delete, "/v2beta/actions/targets/" + deleted);
        using var get = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets/" + deleted);
        using var executions = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/executions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"deletionDate":"2024-12-18T07:50:49.492Z"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        var entries = JsonNode.Parse(await executions.Content.ReadAsStringAsync())!["result"]![0]!["targets"]!.AsArray();
        Assert.Equal([kept], entries.Select(e => (string)e!["target"]!));
    }

    [Fact]
    public async Task DeleteTarget_Missing_Answers404Code5()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Delete, "/v2beta/actions/targets/nope");

        await ErrorAsync(response, HttpStatusCode.NotFound, 5, "The target 'nope' does not exist in tenant '69629023906488334'; list the targets to find its id.");
    }

    [Fact]
    public async Task ListTargets_TwoTargets_AnswersBothOldestFirstWithoutKeys()
    {
        await using var host = await ApiHost.StartAsync();
        var (first, firstKey) = await host.CreateTargetAsync("first");
        host.Clock.SetUtcNow(ApiHost.Start.AddSeconds(1));
        var (second, secondKey) = await host.CreateTargetAsync("second", type: "restAsync");

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets", key: TestAuthenticationHandler.Reader);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(text)!;
        Assert.Equal("""{"totalResult":"2","appliedLimit":"2"}""", json["details"]!.ToJsonString());
        Assert.Equal([first, second], json["result"]!.AsArray().Select(t => (string)t!["id"]!));
        Assert.DoesNotContain(firstKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(secondKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("signingKey", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListExecutions_OneExecution_AnswersConditionEntriesAndDetails()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, _) = await host.CreateTargetAsync("hook");
        await host.SetExecutionAsync(Method, id);

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/executions", key: TestAuthenticationHandler.Reader);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            $$$"""{"details":{"totalResult":"1","appliedLimit":"1"},"result":[{"condition":{{{Method}}},"targets":[{"target":"{{{id}}}"}],"details":{"sequence":"2","changeDate":"2024-12-18T07:50:47.492Z","resourceOwner":"69629023906488334"}}]}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Explain_ServiceExecution_AnswersWhatMatchedAndWhy()
    {
        await using var host = await ApiHost.StartAsync();
        var (id, key) = await host.CreateTargetAsync("hook");
        await host.SetExecutionAsync("""{"request":{"service":"pkg.v1.Service"}}""", id);

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/executions/match?kind=request&value=/pkg.v1.Service/Method", key: TestAuthenticationHandler.Reader);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(text)!;
        Assert.Equal("request", (string?)json["kind"]);
        Assert.Equal("/pkg.v1.Service/Method", (string?)json["value"]);
        Assert.Equal("""{"request":{"service":"pkg.v1.Service"}}""", json["matched"]!.ToJsonString());
        Assert.Equal("service", (string?)json["level"]);
        Assert.Equal(
            """[{"conditionId":"request/pkg.v1.Service/Method","exists":false},{"conditionId":"request/pkg.v1.Service","exists":true},{"conditionId":"request","exists":false}]""",
            json["candidates"]!.ToJsonString());
        Assert.Equal([id], json["targets"]!.AsArray().Select(t => (string)t!["id"]!));
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_NothingMatches_AnswersWithoutMatch()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/executions/match?kind=event&value=user.human.added");

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(json["matched"]);
        Assert.Equal("No execution matches: none of 'event/user.human.added', 'event/user.human.*', 'event/user.*', 'event' exists.", (string?)json["reason"]);
    }

    [Theory]
    [InlineData("?kind=foo&value=x", "kind", "The kind 'foo' is not known; use request, response, function or event.")]
    [InlineData("?kind=Request&value=x", "kind", "The kind 'Request' is not known; use request, response, function or event.")]
    [InlineData("?kind=request", "value", "The query parameter 'value' is missing; give the full method, event type or function name to match, such as value=/pkg.v1.Service/Method.")]
    [InlineData("?kind=request&value=", "value", "The query parameter 'value' is missing; give the full method, event type or function name to match, such as value=/pkg.v1.Service/Method.")]
    [InlineData("?value=/a.B/C", "kind", "The query parameter 'kind' is missing; give request, response, function or event, such as kind=request.")]
    [InlineData("?kind=request&kind=event&value=x", "kind", "The query parameter 'kind' is given 2 times; give it once.")]
    public async Task Explain_BadQuery_Answers400NamingTheParameter(string query, string field, string description)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/executions/match" + query);

        await InvalidAsync(response, HttpStatusCode.BadRequest, (field, description));
    }

    [Fact]
    public async Task Explain_NoQuery_AnswersBothViolations()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/executions/match");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal(["kind", "value"], Violations(error).Select(v => v.Field));
    }

    [Fact]
    public async Task GetTarget_NoRouteValue_Answers400NamingTheId()
    {
        await using var host = await ApiHost.StartAsync();
        var handlers = host.App.Services.GetRequiredService<ActionExecutionsApiHandlers>();
        var context = new DefaultHttpContext { RequestServices = host.App.Services };
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("permission", "action.target.read")], "Test"));
        context.Response.Body = new MemoryStream();

        await handlers.GetTargetAsync(context);

        context.Response.Body.Position = 0;
        using var response = new HttpResponseMessage((HttpStatusCode)context.Response.StatusCode)
        {
            Content = new StreamContent(context.Response.Body),
        };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(context.Response.ContentType!);
        response.Content.Headers.ContentLength = context.Response.ContentLength;
        await InvalidAsync(response, HttpStatusCode.BadRequest, ("id", "The target id is missing from the path; call /v2beta/actions/targets/{id} with the id of a target."));
    }

    [Fact]
    public async Task Api_UnexpectedFailure_Answers500Code13AndLogsIt()
    {
        var resolver = Substitute.For<IActionTenantResolver>();
        resolver.ResolveTenantAsync(default!, default).ReturnsForAnyArgs<ValueTask<string?>>(_ => throw new InvalidOperationException("secret detail"));
        await using var host = await ApiHost.StartAsync(configure: b => b.UseTenantResolver(resolver));

        using var response = await host.SendAsync(HttpMethod.Get, "/v2beta/actions/targets");

        var body = await ErrorAsync(
            response,
            HttpStatusCode.InternalServerError,
            13,
            "The request failed because of an internal error; it was logged. Try again later, or report it to the operator of this service.");
        Assert.DoesNotContain("secret detail", body.ToJsonString(), StringComparison.Ordinal);
        var log = Assert.Single(host.Logs.Records, r => r.EventId.Id == 5001);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal("The actions API failed unexpectedly on GET /v2beta/actions/targets; the client was answered with error code 13.", log.Message);
        Assert.IsType<InvalidOperationException>(log.Exception);
    }
}
