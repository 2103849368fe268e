using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using NSubstitute;
using static ActionExec.Tests.Support.ManagementHarness;

namespace ActionExec.Tests.Management;

/// <summary>The searches of the GA API: every text method, the id filter, each sort field both ways, the paging edges.</summary>
public sealed class ActionManagementServiceSearchTests : IDisposable
{
    private static readonly Condition Method = Condition.RequestMethod("/zitadel.session.v2.SessionService/ListSessions");
    private static readonly Condition Service = Condition.RequestService("zitadel.session.v2.SessionService");
    private static readonly Condition Function = Condition.Function("preuserinfo");
    private static readonly Condition Event = Condition.Event("user.human.added");

    private readonly ManagementHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData(TextFilterMethod.Exact, "hook-beta", "hook-beta")]
    [InlineData(TextFilterMethod.Exact, "HOOK-BETA", "")]
    [InlineData(TextFilterMethod.ExactIgnoreCase, "HOOK-BETA", "hook-beta")]
    [InlineData(TextFilterMethod.StartsWith, "hook", "hook-beta")]
    [InlineData(TextFilterMethod.StartsWithIgnoreCase, "hook", "Hook-Alpha,hook-beta")]
    [InlineData(TextFilterMethod.Contains, "OOK", "")]
    [InlineData(TextFilterMethod.Contains, "ook-", "Hook-Alpha,hook-beta")]
    [InlineData(TextFilterMethod.ContainsIgnoreCase, "OOK", "Hook-Alpha,hook-beta")]
    [InlineData(TextFilterMethod.EndsWith, "Alpha", "Hook-Alpha")]
    [InlineData(TextFilterMethod.EndsWith, "ALPHA", "")]
    [InlineData(TextFilterMethod.EndsWithIgnoreCase, "ALPHA", "Hook-Alpha")]
    public async Task SearchTargets_NameFilter_MatchesByItsMethod(TextFilterMethod method, string text, string expected)
    {
        await CreateTargetsAsync("Hook-Alpha", "hook-beta", "other");

        var page = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { Filters = [TargetQuery.Filter.ByName(text, method)], Ascending = true });

        Assert.Equal(expected, string.Join(",", page.Targets.Select(t => t.Name)));
        Assert.Equal(page.Targets.Length, page.TotalResult);
    }

    [Fact]
    public async Task SearchTargets_IdFilter_ListsOnlyThoseIds()
    {
        var ids = await CreateTargetsAsync("a", "b", "c");

        var page = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { Filters = [TargetQuery.Filter.ByIds([ids[2], ids[0], "missing"])], Ascending = true });

        Assert.Equal(["a", "c"], page.Targets.Select(t => t.Name));
    }

    [Fact]
    public async Task SearchTargets_SeveralFilters_MustAllMatch()
    {
        var ids = await CreateTargetsAsync("hook-a", "hook-b", "other");

        var page = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery
        {
            Filters = [TargetQuery.Filter.ByName("hook", TextFilterMethod.StartsWith), TargetQuery.Filter.ByIds([ids[1], ids[2]])],
        });

        Assert.Equal("hook-b", Assert.Single(page.Targets).Name);
    }

    [Fact]
    public async Task SearchTargets_EmptyIdList_MatchesNothing()
    {
        await CreateTargetsAsync("a");

        var page = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { Filters = [TargetQuery.Filter.ByIds([])] });

        Assert.Empty(page.Targets);
        Assert.Equal(0, page.TotalResult);
    }

    [Fact]
    public async Task SearchTargets_NoFilter_ListsEveryTargetNewestFirst()
    {
        await CreateTargetsAsync("first", "second", "third");

        var page = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery());

        Assert.Equal(["third", "second", "first"], page.Targets.Select(t => t.Name));
        Assert.Equal(3, page.TotalResult);
        Assert.Equal(TargetQuery.DefaultLimit, page.AppliedLimit);
    }

    [Theory]
    [InlineData(TargetQuery.SortField.CreationDate, "c-slow,a-call,b-async")]
    [InlineData(TargetQuery.SortField.ChangeDate, "a-call,b-async,c-slow")]
    [InlineData(TargetQuery.SortField.Name, "a-call,b-async,c-slow")]
    [InlineData(TargetQuery.SortField.TargetType, "c-slow,a-call,b-async")]
    [InlineData(TargetQuery.SortField.Url, "b-async,c-slow,a-call")]
    [InlineData(TargetQuery.SortField.Timeout, "a-call,b-async,c-slow")]
    public async Task SearchTargets_EachSortField_SortsAscendingAndDescending(TargetQuery.SortField field, string ascending)
    {
        // Created c, a, b; then c is changed last. Types: c webhook, a call, b async. Urls: a > c > b. Timeouts: a < b < c.
        await CreateAsync("c-slow", TargetType.Webhook, "https://m.example.com/", 30, interrupt: false);
        await CreateAsync("a-call", TargetType.Call, "https://z.example.com/", 5, interrupt: true);
        await CreateAsync("b-async", TargetType.Async, "https://b.example.com/", 10, interrupt: false);
        var c = (await _h.Service.ListTargetsAsync(_h.Caller)).Single(t => string.Equals(t.Name, "c-slow", StringComparison.Ordinal));
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.Service.UpdateTargetAsync(_h.Caller, c.Id, new TargetUpdate { Timeout = TimeSpan.FromSeconds(31) });

        var up = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { SortingColumn = field, Ascending = true });
        var down = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { SortingColumn = field });

        Assert.Equal(ascending, string.Join(",", up.Targets.Select(t => t.Name)));
        Assert.Equal(string.Join(",", ascending.Split(',').Reverse()), string.Join(",", down.Targets.Select(t => t.Name)));
    }

    [Fact]
    public async Task SearchTargets_SortByInterruptOnError_PutsFalseFirstWhenAscending()
    {
        await CreateAsync("stops", TargetType.Call, "https://a.example.com/", 5, interrupt: true);
        await CreateAsync("goes-on", TargetType.Call, "https://b.example.com/", 5, interrupt: false);

        var up = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { SortingColumn = TargetQuery.SortField.InterruptOnError, Ascending = true });
        var down = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { SortingColumn = TargetQuery.SortField.InterruptOnError });

        Assert.Equal(["goes-on", "stops"], up.Targets.Select(t => t.Name));
        Assert.Equal(["stops", "goes-on"], down.Targets.Select(t => t.Name));
    }

    [Fact]
    public async Task SearchTargets_SortById_IsOrdinalByIdBothWays()
    {
        var ids = await CreateTargetsAsync("a", "b", "c");
        var sorted = ids.Order(StringComparer.Ordinal).ToList();

        var up = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { SortingColumn = TargetQuery.SortField.Id, Ascending = true });
        var down = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { SortingColumn = TargetQuery.SortField.Id });

        Assert.Equal(sorted, up.Targets.Select(t => t.Id));
        Assert.Equal(sorted.AsEnumerable().Reverse(), down.Targets.Select(t => t.Id));
    }

    [Theory]
    [InlineData(0, 0, 100, 5)]
    [InlineData(0, 2, 2, 2)]
    [InlineData(4, 2, 2, 1)]
    [InlineData(5, 2, 2, 0)]
    [InlineData(500, 1000, 1000, 0)]
    public async Task SearchTargets_Page_AppliesOffsetAndLimitAndCountsAll(long offset, int limit, int applied, int onPage)
    {
        await CreateTargetsAsync("a", "b", "c", "d", "e");

        var page = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { Offset = offset, Limit = limit, Ascending = true });

        Assert.Equal(onPage, page.Targets.Length);
        Assert.Equal(5, page.TotalResult);
        Assert.Equal(applied, page.AppliedLimit);
    }

    [Theory]
    [InlineData(int.MaxValue + 1L)]
    [InlineData(uint.MaxValue + 2L)]
    [InlineData(long.MaxValue)]
    public async Task SearchTargets_OffsetBeyondInt_ListsNothingButCountsAll(long offset)
    {
        await CreateTargetsAsync("a", "b", "c");

        var targets = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { Offset = offset });
        var executions = await _h.Service.SearchExecutionsAsync(_h.Caller, new ExecutionQuery { Offset = offset });

        Assert.Empty(targets.Targets);
        Assert.Equal(3, targets.TotalResult);
        Assert.Empty(executions.Executions);
    }

    [Fact]
    public async Task SearchTargets_OffsetAndLimit_TakeTheRightSlice()
    {
        await CreateTargetsAsync("a", "b", "c", "d", "e");

        var page = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { Offset = 1, Limit = 2, Ascending = true, SortingColumn = TargetQuery.SortField.Name });

        Assert.Equal(["b", "c"], page.Targets.Select(t => t.Name));
    }

    [Fact]
    public async Task SearchTargets_BadQuery_ListsEveryViolationWithItsPath()
    {
        var query = new TargetQuery
        {
            Offset = -1,
            Limit = 1001,
            SortingColumn = (TargetQuery.SortField)42,
            Filters = [TargetQuery.Filter.ByName(new string('n', 201)), TargetQuery.Filter.ByName("x", (TextFilterMethod)9), null!],
        };

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.SearchTargetsAsync(_h.Caller, query).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal(
            ["pagination.offset", "pagination.limit", "sortingColumn", "filters[0].targetNameFilter.targetName", "filters[1].targetNameFilter.method", "filters[2]"],
            error.Violations.Select(v => v.Field));
        Assert.Contains("1001", error.Violations[1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchTargets_DefaultFilters_ListsEveryTarget()
    {
        await CreateTargetsAsync("a", "b");

        var page = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { Filters = default, Ascending = true });

        Assert.Equal(["a", "b"], page.Targets.Select(t => t.Name));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public async Task SearchTargets_NegativeLimit_IsInvalidArgumentOnTheLimitNamingIt(int limit)
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { Limit = limit }).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        var violation = Assert.Single(error.Violations);
        Assert.Equal("pagination.limit", violation.Field);
        Assert.Contains(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchTargets_NameFilterOfTheLongestLength_IsAccepted()
    {
        var name = new string('n', ActionManagementService.MaxNameFilterLength);
        await _h.CreateTargetAsync("a");

        var page = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { Filters = [TargetQuery.Filter.ByName(name)] });

        Assert.Empty(page.Targets);
    }

    [Fact]
    public async Task SearchTargets_BadQuery_ViolationsNameTheValues()
    {
        var query = new TargetQuery
        {
            Offset = -3,
            SortingColumn = (TargetQuery.SortField)42,
            Filters = [TargetQuery.Filter.ByName(new string('n', 201)), TargetQuery.Filter.ByName("x", (TextFilterMethod)9)],
        };

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.SearchTargetsAsync(_h.Caller, query).AsTask());

        Assert.Contains("-3", error.Violations[0].Description, StringComparison.Ordinal);
        Assert.Contains("42", error.Violations[1].Description, StringComparison.Ordinal);
        Assert.Contains(nameof(TargetQuery.SortField.InterruptOnError), error.Violations[1].Description, StringComparison.Ordinal);
        Assert.Contains("201", error.Violations[2].Description, StringComparison.Ordinal);
        Assert.Contains("9", error.Violations[3].Description, StringComparison.Ordinal);
        Assert.Contains(nameof(TextFilterMethod.EndsWithIgnoreCase), error.Violations[3].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchTargets_NullIdInIdFilter_IsInvalidArgumentOnItsIndex()
    {
        var query = new TargetQuery { Filters = [TargetQuery.Filter.ByIds(["a", null!, "b"])] };

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.SearchTargetsAsync(_h.Caller, query).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal("filters[0].inTargetIdsFilter.targetIds[1]", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public async Task SearchTargets_WithoutTargetRead_IsPermissionDenied()
    {
        _h.Permissions.HasPermissionAsync(Arg.Any<ManagementCaller>(), ActionPermissions.TargetRead, Arg.Any<CancellationToken>()).Returns(false);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery { Limit = 5000 }).AsTask());

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
    }

    [Fact]
    public async Task SearchTargets_OtherTenantsTargets_AreNotListed()
    {
        await CreateTargetsAsync("mine");
        await _h.CreateTargetAsync("theirs", caller: ManagementCaller.ForHost("other-tenant"));

        var page = await _h.Service.SearchTargetsAsync(_h.Caller, new TargetQuery());

        Assert.Equal("mine", Assert.Single(page.Targets).Name);
    }

    [Fact]
    public async Task SearchExecutions_NoFilter_ListsEachWithItsFlattenedTargetsNewestFirst()
    {
        var ids = await CreateTargetsAsync("a", "b", "c");
        await _h.SetAsync(Service, T(ids[1]), T(ids[2]));
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.SetAsync(Method, T(ids[0]), I(Service), T(ids[1]));

        var page = await _h.Service.SearchExecutionsAsync(_h.Caller, new ExecutionQuery());

        Assert.Equal([Method, Service], page.Executions.Select(e => e.Execution.Condition));
        Assert.Equal([ids[0], ids[1], ids[2]], page.Executions[0].TargetIds.AsEnumerable());
        Assert.Equal([ids[1], ids[2]], page.Executions[1].TargetIds.AsEnumerable());
        Assert.Equal(2, page.TotalResult);
        Assert.Equal(ExecutionQuery.DefaultLimit, page.AppliedLimit);
    }

    [Fact]
    public async Task SearchExecutions_ByTarget_MatchesDirectAndIncludedTargets()
    {
        var ids = await CreateTargetsAsync("a", "b");
        await _h.SetAsync(Service, T(ids[1]));
        await _h.SetAsync(Method, I(Service));
        await _h.SetAsync(Function, T(ids[0]));

        var page = await _h.Service.SearchExecutionsAsync(_h.Caller, new ExecutionQuery { Filters = [ExecutionQuery.Filter.ByTarget(ids[1])], Ascending = true });

        Assert.Equal([Service, Method], page.Executions.Select(e => e.Execution.Condition));
    }

    [Theory]
    [InlineData(ConditionKind.Request, "request/zitadel.session.v2.SessionService")]
    [InlineData(ConditionKind.Response, "")]
    [InlineData(ConditionKind.Function, "function/preuserinfo")]
    [InlineData(ConditionKind.Event, "event/user.human.added")]
    public async Task SearchExecutions_ByType_MatchesThatKindOnly(ConditionKind kind, string expected)
    {
        var ids = await CreateTargetsAsync("a");
        await _h.SetAsync(Service, T(ids[0]));
        await _h.SetAsync(Function, T(ids[0]));
        await _h.SetAsync(Event, T(ids[0]));

        var page = await _h.Service.SearchExecutionsAsync(_h.Caller, new ExecutionQuery { Filters = [ExecutionQuery.Filter.OfType(kind)] });

        Assert.Equal(expected, string.Join(",", page.Executions.Select(e => e.Execution.Id)));
    }

    [Fact]
    public async Task SearchExecutions_InConditions_MatchesExactlyThoseConditions()
    {
        var ids = await CreateTargetsAsync("a");
        await _h.SetAsync(Service, T(ids[0]));
        await _h.SetAsync(Method, T(ids[0]));
        await _h.SetAsync(Event, T(ids[0]));

        var page = await _h.Service.SearchExecutionsAsync(_h.Caller, new ExecutionQuery
        {
            Filters = [ExecutionQuery.Filter.InConditions([Method, Event, Function]), ExecutionQuery.Filter.OfType(ConditionKind.Request)],
        });

        Assert.Equal([Method], page.Executions.Select(e => e.Execution.Condition));
    }

    [Theory]
    [InlineData(ExecutionQuery.SortField.CreationDate, "event/user.human.added,function/preuserinfo,request/zitadel.session.v2.SessionService")]
    [InlineData(ExecutionQuery.SortField.ChangeDate, "function/preuserinfo,request/zitadel.session.v2.SessionService,event/user.human.added")]
    [InlineData(ExecutionQuery.SortField.Id, "event/user.human.added,function/preuserinfo,request/zitadel.session.v2.SessionService")]
    public async Task SearchExecutions_EachSortField_SortsAscendingAndDescending(ExecutionQuery.SortField field, string ascending)
    {
        var ids = await CreateTargetsAsync("a", "b");
        await _h.SetAsync(Event, T(ids[0]));
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.SetAsync(Function, T(ids[0]));
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.SetAsync(Service, T(ids[0]));
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.SetAsync(Event, T(ids[1]));

        var up = await _h.Service.SearchExecutionsAsync(_h.Caller, new ExecutionQuery { SortingColumn = field, Ascending = true });
        var down = await _h.Service.SearchExecutionsAsync(_h.Caller, new ExecutionQuery { SortingColumn = field });

        Assert.Equal(ascending, string.Join(",", up.Executions.Select(e => e.Execution.Id)));
        Assert.Equal(string.Join(",", ascending.Split(',').Reverse()), string.Join(",", down.Executions.Select(e => e.Execution.Id)));
    }

    [Fact]
    public async Task SetExecution_LaterChanges_KeepTheCreationDate()
    {
        var ids = await CreateTargetsAsync("a", "b");
        var created = _h.Time.GetUtcNow();
        await _h.SetAsync(Method, T(ids[0]), T(ids[1]));
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        await _h.SetAsync(Method, T(ids[1]), T(ids[0]));
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        await _h.Service.DeleteTargetAsync(_h.Caller, ids[0]);

        var execution = await _h.Service.GetExecutionAsync(_h.Caller, Method);

        Assert.Equal(created, execution.CreationDate);
        Assert.Equal(created.AddMinutes(2), execution.Details.ChangeDate);
        Assert.Equal([T(ids[1])], execution.Entries.AsEnumerable());
    }

    [Fact]
    public async Task SearchExecutions_Page_AppliesLimitAndOffsetPastTheEnd()
    {
        var ids = await CreateTargetsAsync("a");
        await _h.SetAsync(Service, T(ids[0]));
        await _h.SetAsync(Method, T(ids[0]));

        var first = await _h.Service.SearchExecutionsAsync(_h.Caller, new ExecutionQuery { Limit = 1, Ascending = true, SortingColumn = ExecutionQuery.SortField.Id });
        var past = await _h.Service.SearchExecutionsAsync(_h.Caller, new ExecutionQuery { Offset = 2 });

        Assert.Equal([Service], first.Executions.Select(e => e.Execution.Condition));
        Assert.Equal((2, 1), (first.TotalResult, first.AppliedLimit));
        Assert.Empty(past.Executions);
        Assert.Equal(2, past.TotalResult);
    }

    [Fact]
    public async Task SearchExecutions_BadQuery_ListsEveryViolationWithItsPath()
    {
        var query = new ExecutionQuery
        {
            Limit = 1001,
            SortingColumn = (ExecutionQuery.SortField)7,
            Filters = [ExecutionQuery.Filter.OfType((ConditionKind)9), ExecutionQuery.Filter.ByTarget("")],
        };

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.SearchExecutionsAsync(_h.Caller, query).AsTask());

        Assert.Equal(
            ["pagination.limit", "sortingColumn", "filters[0].executionTypeFilter.executionType", "filters[1].targetFilter.targetId"],
            error.Violations.Select(v => v.Field));
    }

    [Fact]
    public async Task SearchExecutions_DefaultFilters_ListsEveryExecution()
    {
        var ids = await CreateTargetsAsync("a");
        await _h.SetAsync(Service, T(ids[0]));
        await _h.SetAsync(Method, T(ids[0]));

        var page = await _h.Service.SearchExecutionsAsync(_h.Caller, new ExecutionQuery { Filters = default, SortingColumn = ExecutionQuery.SortField.Id, Ascending = true });

        Assert.Equal([Service, Method], page.Executions.Select(e => e.Execution.Condition));
    }

    [Fact]
    public async Task SearchExecutions_NegativeOffsetAndEmptyFilter_ListsBothViolationsWithTheirPaths()
    {
        var query = new ExecutionQuery { Offset = -1, Filters = [ExecutionQuery.Filter.OfType(ConditionKind.Event), null!] };

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.SearchExecutionsAsync(_h.Caller, query).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal(["pagination.offset", "filters[1]"], error.Violations.Select(v => v.Field));
    }

    [Fact]
    public async Task SearchExecutions_BadSortingColumn_NamesTheValueAndTheFields()
    {
        var query = new ExecutionQuery { SortingColumn = (ExecutionQuery.SortField)7 };

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.SearchExecutionsAsync(_h.Caller, query).AsTask());

        var violation = Assert.Single(error.Violations);
        Assert.Equal("sortingColumn", violation.Field);
        Assert.Contains("7", violation.Description, StringComparison.Ordinal);
        Assert.Contains(nameof(ExecutionQuery.SortField.ChangeDate), violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_NullQuery_ThrowsArgumentNullNamingIt()
    {
        Assert.Equal("query", (await Assert.ThrowsAsync<ArgumentNullException>(() => _h.Service.SearchTargetsAsync(_h.Caller, null!).AsTask())).ParamName);
        Assert.Equal("query", (await Assert.ThrowsAsync<ArgumentNullException>(() => _h.Service.SearchExecutionsAsync(_h.Caller, null!).AsTask())).ParamName);
    }

    [Fact]
    public async Task SearchExecutions_WithoutExecutionRead_IsPermissionDenied()
    {
        _h.Permissions.HasPermissionAsync(Arg.Any<ManagementCaller>(), ActionPermissions.ExecutionRead, Arg.Any<CancellationToken>()).Returns(false);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.SearchExecutionsAsync(_h.Caller, new ExecutionQuery()).AsTask());

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
    }

    private async Task<List<string>> CreateTargetsAsync(params string[] names)
    {
        var ids = new List<string>();
        foreach (var name in names)
        {
            ids.Add(await _h.CreateTargetAsync(name));
            _h.Time.Advance(TimeSpan.FromMilliseconds(10));
        }

        return ids;
    }

    private async Task CreateAsync(string name, TargetType type, string endpoint, int timeoutSeconds, bool interrupt)
    {
        await _h.Service.CreateTargetAsync(_h.Caller, new TargetSpec
        {
            Name = name,
            Endpoint = endpoint,
            Type = type,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            InterruptOnError = interrupt,
        });
        _h.Time.Advance(TimeSpan.FromMilliseconds(10));
    }
}
