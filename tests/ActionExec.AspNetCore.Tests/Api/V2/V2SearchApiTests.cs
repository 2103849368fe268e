using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static ActionExec.AspNetCore.Tests.Api.V2.V2TargetsApiTests;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Api.V2;

/// <summary>The searches of ZITADEL's GA API over HTTP: shapes, every text method, the filters, each sort field both ways, paging edges.</summary>
public sealed class V2SearchApiTests
{
    private const string SearchTargets = "/v2/actions/targets/search";
    private const string SearchExecutions = "/v2/actions/executions/search";
    private const string Method = """{"request":{"method":"/pkg.v1.Service/Method"}}""";
    private const string Service = """{"request":{"service":"pkg.v1.Service"}}""";
    private const string Function = """{"function":{"name":"preuserinfo"}}""";

    [Fact]
    public async Task SearchTargets_EmptyBody_AnswersEveryTargetInTheGaShape()
    {
        await using var host = await ApiHost.StartAsync();
        var id = await CreateAsync(host, "hook");

        using var response = await host.SendAsync(HttpMethod.Post, SearchTargets, "");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            $$$"""{"pagination":{"totalResult":"1","appliedLimit":"100"},"targets":[{"id":"{{{id}}}","name":"hook","endpoint":"https://hook.example.com/a","timeout":"10s","restCall":{"interruptOnError":true},"payloadType":"PAYLOAD_TYPE_JSON","signatureScheme":"zitadel","creationDate":"2024-12-18T07:50:47.492Z","changeDate":"2024-12-18T07:50:47.492Z"}]}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("TEXT_FILTER_METHOD_EQUALS", "hook-beta", "hook-beta")]
    [InlineData("TEXT_FILTER_METHOD_EQUALS", "HOOK-BETA", "")]
    [InlineData("TEXT_FILTER_METHOD_EQUALS_IGNORE_CASE", "HOOK-BETA", "hook-beta")]
    [InlineData("TEXT_FILTER_METHOD_STARTS_WITH", "hook", "hook-beta")]
    [InlineData("TEXT_FILTER_METHOD_STARTS_WITH", "HOOK", "")]
    [InlineData("TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE", "hook", "Hook-Alpha,hook-beta")]
    [InlineData("TEXT_FILTER_METHOD_CONTAINS", "OOK", "")]
    [InlineData("TEXT_FILTER_METHOD_CONTAINS", "ook-", "Hook-Alpha,hook-beta")]
    [InlineData("TEXT_FILTER_METHOD_CONTAINS_IGNORE_CASE", "OOK", "Hook-Alpha,hook-beta")]
    [InlineData("TEXT_FILTER_METHOD_ENDS_WITH", "Alpha", "Hook-Alpha")]
    [InlineData("TEXT_FILTER_METHOD_ENDS_WITH", "ALPHA", "")]
    [InlineData("TEXT_FILTER_METHOD_ENDS_WITH_IGNORE_CASE", "ALPHA", "Hook-Alpha")]
    [InlineData("5", "OOK", "Hook-Alpha,hook-beta")]
    [InlineData(null, "other", "other")]
    public async Task SearchTargets_NameFilter_MatchesByEachMethod(string? method, string text, string expected)
    {
        await using var host = await ApiHost.StartAsync();
        await CreateManyAsync(host, "Hook-Alpha", "hook-beta", "other");
        var methodJson = method is null ? "" : int.TryParse(method, CultureInfo.InvariantCulture, out _) ? $",\"method\":{method}" : $",\"method\":\"{method}\"";

        var names = await NamesAsync(host, $$$"""{"pagination":{"asc":true},"filters":[{"targetNameFilter":{"targetName":"{{{text}}}"{{{methodJson}}}}}]}""");

        Assert.Equal(expected, string.Join(",", names));
    }

    [Fact]
    public async Task SearchTargets_IdFilterAndNameFilter_MustBothMatch()
    {
        await using var host = await ApiHost.StartAsync();
        var ids = await CreateManyAsync(host, "hook-a", "hook-b", "other");

        var names = await NamesAsync(
            host,
            $$$"""{"filters":[{"inTargetIdsFilter":{"targetIds":["{{{ids[1]}}}","{{{ids[2]}}}"]}},{"targetNameFilter":{"targetName":"hook","method":"TEXT_FILTER_METHOD_STARTS_WITH"}}]}""");

        Assert.Equal(["hook-b"], names);
    }

    [Theory]
    [InlineData("TARGET_FIELD_NAME_UNSPECIFIED", "c,a,b")]
    [InlineData("TARGET_FIELD_NAME_CREATED_DATE", "c,a,b")]
    [InlineData("TARGET_FIELD_NAME_CREATION_DATE", "c,a,b")]
    [InlineData("TARGET_FIELD_NAME_CHANGED_DATE", "a,b,c")]
    [InlineData("TARGET_FIELD_NAME_NAME", "a,b,c")]
    [InlineData("TARGET_FIELD_NAME_TARGET_TYPE", "c,a,b")]
    [InlineData("TARGET_FIELD_NAME_URL", "b,c,a")]
    [InlineData("TARGET_FIELD_NAME_TIMEOUT", "a,b,c")]
    [InlineData("4", "a,b,c")]
    public async Task SearchTargets_EachSortingColumn_SortsAscendingAndDescending(string column, string ascending)
    {
        await using var host = await ApiHost.StartAsync();
        await CreateRawAsync(host, """{"name":"c","endpoint":"https://m.example.com/","timeout":"30s","restWebhook":{}}""");
        await CreateRawAsync(host, """{"name":"a","endpoint":"https://z.example.com/","timeout":"5s","restCall":{}}""");
        await CreateRawAsync(host, """{"name":"b","endpoint":"https://b.example.com/","timeout":"10s","restAsync":{}}""");
        var c = (await NamesAndIdsAsync(host, """{"filters":[{"targetNameFilter":{"targetName":"c"}}]}""")).Single().Id;
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using var update = await host.SendAsync(HttpMethod.Post, $"/v2/actions/targets/{c}", """{"timeout":"31s"}""");
        var sort = int.TryParse(column, CultureInfo.InvariantCulture, out _) ? column : $"\"{column}\"";

        var up = await NamesAsync(host, $$$"""{"sortingColumn":{{{sort}}},"pagination":{"asc":true}}""");
        var down = await NamesAsync(host, $$$"""{"sortingColumn":{{{sort}}},"pagination":{"asc":false}}""");

        Assert.Equal(ascending, string.Join(",", up));
        Assert.Equal(string.Join(",", ascending.Split(',').Reverse()), string.Join(",", down));
    }

    [Fact]
    public async Task SearchTargets_SortByIdAndByInterruptOnError_FollowTheField()
    {
        await using var host = await ApiHost.StartAsync();
        await CreateRawAsync(host, """{"name":"stops","endpoint":"https://a.example.com/","timeout":"5s","restCall":{"interruptOnError":true}}""");
        await CreateRawAsync(host, """{"name":"goes-on","endpoint":"https://b.example.com/","timeout":"5s","restCall":{"interruptOnError":false}}""");

        var byInterrupt = await NamesAsync(host, """{"sortingColumn":"TARGET_FIELD_NAME_INTERRUPT_ON_ERROR","pagination":{"asc":true}}""");
        var byId = await NamesAndIdsAsync(host, """{"sortingColumn":"TARGET_FIELD_NAME_ID","pagination":{"asc":true}}""");

        Assert.Equal(["goes-on", "stops"], byInterrupt);
        Assert.Equal(byId.Select(t => t.Id).Order(StringComparer.Ordinal), byId.Select(t => t.Id));
    }

    [Theory]
    [InlineData("""{"limit":0}""", "100", 3)]
    [InlineData("""{"limit":1000}""", "1000", 3)]
    [InlineData("""{"limit":"2","offset":"1"}""", "2", 2)]
    [InlineData("""{"offset":3}""", "100", 0)]
    [InlineData("""{"offset":300,"limit":1}""", "1", 0)]
    public async Task SearchTargets_Pagination_AnswersTotalResultAndAppliedLimit(string pagination, string applied, int count)
    {
        await using var host = await ApiHost.StartAsync();
        await CreateManyAsync(host, "a", "b", "c");

        using var response = await host.SendAsync(HttpMethod.Post, SearchTargets, $$"""{"pagination":{{pagination}}}""");

        var json = await OkObjectAsync(response);
        Assert.Equal("3", (string?)json["pagination"]!["totalResult"]);
        Assert.Equal(applied, (string?)json["pagination"]!["appliedLimit"]);
        Assert.Equal(count, json["targets"]!.AsArray().Count);
    }

    [Theory]
    [InlineData(SearchTargets)]
    [InlineData(SearchExecutions)]
    public async Task Search_Limit1001_Answers400NamingTheValue(string path)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, path, """{"pagination":{"limit":1001}}""");

        await InvalidAsync(response, HttpStatusCode.BadRequest, ("pagination.limit", "The limit is 1001; give a page size from 1 to 1000, or 0 for the default of 100."));
    }

    [Fact]
    public async Task SearchTargets_BadQuery_AnswersEveryViolationWithItsPath()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(
            HttpMethod.Post,
            SearchTargets,
            """{"pagination":{"limit":4294967295},"sortingColumn":"TARGET_FIELD_NAME_COLOUR","filters":[{},{"targetNameFilter":{"targetName":"a","method":"TEXT_FILTER_METHOD_LIKE"}},{"targetNameFilter":{},"inTargetIdsFilter":{}},null]}""");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal(
            ["pagination.limit", "sortingColumn", "filters[0]", "filters[1].targetNameFilter.method", "filters[2]", "filters[3]"],
            Violations(error).Select(v => v.Field));
        Assert.Contains("4294967295", Violations(error)[0].Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"filter":[]}""", "filter")]
    [InlineData("""{"filters":[{"targetNameFilter":{"name":"a"}}]}""", "filters[0].targetNameFilter.name")]
    [InlineData("""{"pagination":{"limit":-1}}""", "pagination.limit")]
    public async Task SearchTargets_UnknownPropertyOrWrongType_Answers400NamingIt(string body, string field)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, SearchTargets, body);

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal([field], Violations(error).Select(v => v.Field));
    }

    [Fact]
    public async Task SearchTargets_OtherTenant_SeesNone()
    {
        await using var host = await ApiHost.StartAsync(configure: b => b.UseTenantResolver<HeaderTenantResolver>());
        await CreateAsync(host, "mine", tenant: "a");

        using var theirs = await host.SendAsync(HttpMethod.Post, SearchTargets, "{}", tenant: "b");
        using var mine = await host.SendAsync(HttpMethod.Post, SearchTargets, "{}", tenant: "a");

        Assert.Equal("""{"pagination":{"totalResult":"0","appliedLimit":"100"},"targets":[]}""", await theirs.Content.ReadAsStringAsync());
        Assert.Equal("1", (string?)(await OkObjectAsync(mine))["pagination"]!["totalResult"]);
    }

    [Fact]
    public async Task SetExecution_TargetIds_AnswersSetDateAndSearchShowsTheGaShape()
    {
        await using var host = await ApiHost.StartAsync();
        var ids = await CreateManyAsync(host, "a", "b");
        host.Clock.Advance(TimeSpan.FromSeconds(1));

        using var set = await host.SendAsync(HttpMethod.Put, "/v2/actions/executions", $$"""{"condition":{{Method}},"targets":["{{ids[1]}}","{{ids[0]}}"]}""");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using var replace = await host.SendAsync(HttpMethod.Put, "/v2/actions/executions", $$"""{"condition":{{Method}},"targets":["{{ids[0]}}"]}""");
        using var search = await host.SendAsync(HttpMethod.Post, SearchExecutions, "{}");

        Assert.Equal("""{"setDate":"2024-12-18T07:50:48.512Z"}""", await set.Content.ReadAsStringAsync());
        Assert.Equal("""{"setDate":"2024-12-18T07:50:49.512Z"}""", await replace.Content.ReadAsStringAsync());
        Assert.Equal(
            $$$"""{"pagination":{"totalResult":"1","appliedLimit":"100"},"executions":[{"condition":{"request":{"method":"/pkg.v1.Service/Method"}},"creationDate":"2024-12-18T07:50:48.512Z","changeDate":"2024-12-18T07:50:49.512Z","targets":["{{{ids[0]}}}"]}]}""",
            await search.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SetExecution_MissingTargetAndObjectEntry_AnswerTheirErrorsOnGaPaths()
    {
        await using var host = await ApiHost.StartAsync();

        using var missing = await host.SendAsync(HttpMethod.Put, "/v2/actions/executions", $$"""{"condition":{{Method}},"targets":["nope"]}""");
        using var include = await host.SendAsync(HttpMethod.Put, "/v2/actions/executions", $$"""{"condition":{{Method}},"targets":[{"include":{{Service}}}]}""");
        using var twice = await host.SendAsync(HttpMethod.Put, "/v2/actions/executions", $$"""{"condition":{{Method}},"targets":["x","x",null]}""");

        var notFound = await BodyAsync(missing, HttpStatusCode.NotFound, 5);
        Assert.Equal(["targets[0]"], Violations(notFound).Select(v => v.Field));
        Assert.Contains("'nope'", (string?)notFound["message"], StringComparison.Ordinal);
        var invalid = await BodyAsync(include, HttpStatusCode.BadRequest, 3);
        Assert.Equal(["targets[0]"], Violations(invalid).Select(v => v.Field));
        var duplicate = await BodyAsync(twice, HttpStatusCode.BadRequest, 3);
        Assert.Equal(["targets[1]", "targets[2]"], Violations(duplicate).Select(v => v.Field));
    }

    [Fact]
    public async Task SetExecution_EmptyTargets_RemovesTheExecution()
    {
        await using var host = await ApiHost.StartAsync();
        var ids = await CreateManyAsync(host, "a");
        await host.SetExecutionAsync(Method, ids[0]);

        using var set = await host.SendAsync(HttpMethod.Put, "/v2/actions/executions", $$"""{"condition":{{Method}},"targets":[]}""");
        using var search = await host.SendAsync(HttpMethod.Post, SearchExecutions, "{}");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("0", (string?)(await OkObjectAsync(search))["pagination"]!["totalResult"]);
    }

    [Fact]
    public async Task SearchExecutions_ExecutionWithIncludes_ShowsTheFlattenedTargetsInOrder()
    {
        await using var host = await ApiHost.StartAsync();
        var ids = await CreateManyAsync(host, "a", "b", "c");
        await host.SetExecutionAsync(Service, ids[1], ids[2]);
        using var including = await host.SendAsync(
            HttpMethod.Put,
            "/v3alpha/executions",
            $$"""{"condition":{{Method}},"targets":[{"target":"{{ids[0]}}"},{"include":{{Service}}},{"target":"{{ids[1]}}"}]}""");

        var executions = await ExecutionsAsync(host, """{"filters":[{"inConditionsFilter":{"conditions":[{"request":{"method":"/pkg.v1.Service/Method"}}]}}]}""");

        var execution = Assert.Single(executions);
        Assert.Equal([ids[0], ids[1], ids[2]], execution["targets"]!.AsArray().Select(t => (string)t!));
    }

    [Theory]
    [InlineData("""{"executionTypeFilter":{"executionType":"EXECUTION_TYPE_REQUEST"}}""", "service,method")]
    [InlineData("""{"executionTypeFilter":{"executionType":"EXECUTION_TYPE_FUNCTION"}}""", "function")]
    [InlineData("""{"executionTypeFilter":{"executionType":2}}""", "")]
    [InlineData("""{"inConditionsFilter":{"conditions":[{"function":{"name":"preuserinfo"}},{"request":{"service":"pkg.v1.Service"}}]}}""", "function,service")]
    [InlineData("""{"inConditionsFilter":{"conditions":[]}}""", "")]
    [InlineData("""{"targetFilter":{"targetId":"TARGET-B"}}""", "service,method")]
    public async Task SearchExecutions_Filter_MatchesAsZitadelDefines(string filter, string expected)
    {
        await using var host = await ApiHost.StartAsync();
        var ids = await CreateManyAsync(host, "a", "b");
        await host.SetExecutionAsync(Service, ids[1]);
        await host.SetExecutionAsync(Function, ids[0]);
        using var including = await host.SendAsync(
            HttpMethod.Put,
            "/v3alpha/executions",
            $$"""{"condition":{{Method}},"targets":[{"include":{{Service}}}]}""");

        var executions = await ExecutionsAsync(host, $$$"""{"sortingColumn":"EXECUTION_FIELD_NAME_ID","pagination":{"asc":true},"filters":[{{{filter.Replace("TARGET-B", ids[1], StringComparison.Ordinal)}}}]}""");

        Assert.Equal(expected, string.Join(",", executions.Select(e => Kind(e["condition"]!))));
    }

    [Theory]
    [InlineData("EXECUTION_FIELD_NAME_UNSPECIFIED", "function,method,service")]
    [InlineData("EXECUTION_FIELD_NAME_CREATED_DATE", "function,method,service")]
    [InlineData("EXECUTION_FIELD_NAME_CREATION_DATE", "function,method,service")]
    [InlineData("EXECUTION_FIELD_NAME_CHANGED_DATE", "method,service,function")]
    [InlineData("EXECUTION_FIELD_NAME_ID", "function,service,method")]
    public async Task SearchExecutions_EachSortingColumn_SortsAscendingAndDescending(string column, string ascending)
    {
        await using var host = await ApiHost.StartAsync();
        var ids = await CreateManyAsync(host, "a", "b");
        await host.SetExecutionAsync(Function, ids[0]);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await host.SetExecutionAsync(Method, ids[0]);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await host.SetExecutionAsync(Service, ids[0]);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await host.SetExecutionAsync(Function, ids[1]);

        var up = await ExecutionsAsync(host, $$$"""{"sortingColumn":"{{{column}}}","pagination":{"asc":true}}""");
        var down = await ExecutionsAsync(host, $$"""{"sortingColumn":"{{column}}"}""");

        Assert.Equal(ascending, string.Join(",", up.Select(e => Kind(e["condition"]!))));
        Assert.Equal(string.Join(",", ascending.Split(',').Reverse()), string.Join(",", down.Select(e => Kind(e["condition"]!))));
    }

    [Fact]
    public async Task SearchExecutions_Pagination_AnswersTotalAndAppliedLimitAndEmptyPastTheEnd()
    {
        await using var host = await ApiHost.StartAsync();
        var ids = await CreateManyAsync(host, "a");
        await host.SetExecutionAsync(Function, ids[0]);
        await host.SetExecutionAsync(Method, ids[0]);

        using var first = await host.SendAsync(HttpMethod.Post, SearchExecutions, """{"pagination":{"limit":1}}""");
        using var past = await host.SendAsync(HttpMethod.Post, SearchExecutions, """{"pagination":{"offset":"5","limit":1000}}""");

        var page = await OkObjectAsync(first);
        Assert.Equal("""{"totalResult":"2","appliedLimit":"1"}""", page["pagination"]!.ToJsonString());
        Assert.Single(page["executions"]!.AsArray());
        Assert.Equal("""{"pagination":{"totalResult":"2","appliedLimit":"1000"},"executions":[]}""", await past.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SearchExecutions_BadFilters_AnswerEveryViolationWithItsPath()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(
            HttpMethod.Post,
            SearchExecutions,
            """{"filters":[{"executionTypeFilter":{"executionType":"EXECUTION_TYPE_UNSPECIFIED"}},{"targetFilter":{"targetId":""}},{"inConditionsFilter":{"conditions":[{"request":{"method":"nope"}}]}},{"targetFilter":{},"executionTypeFilter":{}}]}""");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal(
            ["filters[0].executionTypeFilter.executionType", "filters[1].targetFilter.targetId", "filters[2].inConditionsFilter.conditions[0].request.method", "filters[3]"],
            Violations(error).Select(v => v.Field));
    }

    private static string Kind(JsonNode condition) =>
        condition["function"] is not null ? "function" : condition["request"]!["method"] is not null ? "method" : "service";

    private static async Task<List<string>> CreateManyAsync(ApiHost host, params string[] names)
    {
        var ids = new List<string>();
        foreach (var name in names)
        {
            ids.Add(await CreateAsync(host, name));
            host.Clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        return ids;
    }

    private static async Task CreateRawAsync(ApiHost host, string body)
    {
        using var response = await host.SendAsync(HttpMethod.Post, "/v2/actions/targets", body);
        await OkObjectAsync(response);
        host.Clock.Advance(TimeSpan.FromMilliseconds(10));
    }

    private static async Task<List<string>> NamesAsync(ApiHost host, string body) =>
        [.. (await NamesAndIdsAsync(host, body)).Select(t => t.Name)];

    private static async Task<List<(string Name, string Id)>> NamesAndIdsAsync(ApiHost host, string body)
    {
        using var response = await host.SendAsync(HttpMethod.Post, SearchTargets, body);
        var json = await OkObjectAsync(response);
        return [.. json["targets"]!.AsArray().Select(t => ((string)t!["name"]!, (string)t["id"]!))];
    }

    private static async Task<List<JsonNode>> ExecutionsAsync(ApiHost host, string body)
    {
        using var response = await host.SendAsync(HttpMethod.Post, SearchExecutions, body);
        var json = await OkObjectAsync(response);
        return [.. json["executions"]!.AsArray().Select(e => e!)];
    }
}
