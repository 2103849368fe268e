using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Management;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Sdk;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Api;

/// <summary>
/// The delivery history over HTTP: events published in the host are delivered by its worker to a loopback receiver, then
/// listed, fetched and replayed through <c>/v2/actions/deliveries</c>.
/// </summary>
public sealed class ActionExecutionsApiDeliveryTests
{
    private const string Deliveries = "/v2/actions/deliveries";

    private const string Tenant = ApiHost.Tenant;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task List_DeliveredAndDeadLettered_NewestFirstWithTheListDetailsAndNoAttemptsOrBodies()
    {
        await using var host = await StartAsync();
        var (hook, gone) = await HookAndGoneAsync(host);
        var delivered = await PublishAsync(host, "user.added");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var deadLettered = await PublishAsync(host, "user.removed");

        var list = await GetJsonAsync(host, Deliveries);

        Assert.Equal("2", (string?)list["details"]!["totalResult"]);
        Assert.Equal("100", (string?)list["details"]!["appliedLimit"]);
        var result = list["result"]!.AsArray();
        Assert.Equal([deadLettered, delivered], result.Select(d => (string)d!["id"]!));
        var first = result[0]!.AsObject();
        Assert.Equal("DELIVERY_STATUS_DEAD_LETTERED", (string?)first["status"]);
        Assert.Equal("event/user.removed", (string?)first["source"]);
        Assert.Equal([gone], first["targetIds"]!.AsArray().Select(t => (string)t!));
        Assert.Equal([gone], first["givenUpTargetIds"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("2024-12-18T07:50:48.492Z", (string?)first["creationDate"]);
        Assert.Equal(0, (int)first["replays"]!);
        Assert.Equal("DELIVERY_STATUS_DELIVERED", (string?)result[1]!["status"]);
        Assert.Equal([hook], result[1]!["targetIds"]!.AsArray().Select(t => (string)t!));
        Assert.Null(result[1]!["givenUpTargetIds"]);
        Assert.All(result, d =>
        {
            Assert.Null(d!["attempts"]);
            Assert.Null(d["payload"]);
            Assert.Null(d["nextAttemptDate"]);
        });
    }

    [Theory]
    [InlineData("dead_lettered", "DELIVERY_STATUS_DEAD_LETTERED")]
    [InlineData("DELIVERY_STATUS_DEAD_LETTERED", "DELIVERY_STATUS_DEAD_LETTERED")]
    [InlineData("delivered", "DELIVERY_STATUS_DELIVERED")]
    public async Task List_StatusFilter_OnlyThatStatus(string status, string expected)
    {
        await using var host = await StartAsync();
        await HookAndGoneAsync(host);
        await PublishAsync(host, "user.added");
        await PublishAsync(host, "user.removed");

        var list = await GetJsonAsync(host, Deliveries + "?status=" + status);

        Assert.Equal("1", (string?)list["details"]!["totalResult"]);
        Assert.Equal(expected, (string?)Assert.Single(list["result"]!.AsArray())!["status"]);
    }

    [Fact]
    public async Task List_TargetIdFilter_OnlyDeliveriesToThatTarget()
    {
        await using var host = await StartAsync();
        var (_, gone) = await HookAndGoneAsync(host);
        await PublishAsync(host, "user.added");
        var removed = await PublishAsync(host, "user.removed");

        var list = await GetJsonAsync(host, Deliveries + "?targetId=" + gone);

        Assert.Equal(removed, (string?)Assert.Single(list["result"]!.AsArray())!["id"]);
    }

    [Fact]
    public async Task List_TimeRange_OnlyDeliveriesCreatedFromUpTo()
    {
        await using var host = await StartAsync();
        await HookAndGoneAsync(host);
        await PublishAsync(host, "user.added");
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var middle = await PublishAsync(host, "user.added");
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await PublishAsync(host, "user.added");

        // 07:51:47.492Z is the middle one's creation time; the offset is written %2B, as a URL must.
        var list = await GetJsonAsync(host, Deliveries + "?from=2024-12-18T08:51:47.492%2B01:00&to=2024-12-18T07:52:00Z");

        Assert.Equal(middle, (string?)Assert.Single(list["result"]!.AsArray())!["id"]);
    }

    [Fact]
    public async Task List_OffsetAndLimit_PagesNewestFirstWithTheTotal()
    {
        await using var host = await StartAsync();
        await HookAndGoneAsync(host);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await PublishAsync(host, "user.added"));
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await GetJsonAsync(host, Deliveries + "?offset=1&limit=2");

        Assert.Equal("5", (string?)page["details"]!["totalResult"]);
        Assert.Equal("2", (string?)page["details"]!["appliedLimit"]);
        Assert.Equal([ids[3], ids[2]], page["result"]!.AsArray().Select(d => (string)d!["id"]!));
    }

    [Fact]
    public async Task Get_DeadLetter_ShowsItsAttemptWithStatusReasonAndDurationButNoBody()
    {
        await using var host = await StartAsync();
        var (_, gone) = await HookAndGoneAsync(host);
        var id = await PublishAsync(host, "user.removed");

        var delivery = (await GetJsonAsync(host, $"{Deliveries}/{id}"))["delivery"]!.AsObject();

        Assert.Equal(id, (string?)delivery["id"]);
        Assert.Equal("DELIVERY_STATUS_DEAD_LETTERED", (string?)delivery["status"]);
        Assert.Null(delivery["payload"]);
        var attempt = Assert.Single(delivery["attempts"]!.AsArray())!.AsObject();
        Assert.Equal(gone, (string?)attempt["targetId"]);
        Assert.Equal(1, (int)attempt["attempt"]!);
        Assert.Equal("DELIVERY_ATTEMPT_OUTCOME_GAVE_UP", (string?)attempt["outcome"]);
        Assert.Equal(410, (int)attempt["statusCode"]!);
        Assert.False(string.IsNullOrEmpty((string?)attempt["reason"]));
        Assert.Matches("^[0-9]+(\\.[0-9]{3,9})?s$", (string?)attempt["duration"]);
        Assert.Equal("2024-12-18T07:50:47.492Z", (string?)attempt["startDate"]);
        Assert.Null(attempt["responseBody"]);
    }

    [Fact]
    public async Task Get_Delivered_ShowsItsSucceededAttempt()
    {
        await using var host = await StartAsync();
        var (hook, _) = await HookAndGoneAsync(host);
        var id = await PublishAsync(host, "user.added");

        var delivery = (await GetJsonAsync(host, $"{Deliveries}/{id}"))["delivery"]!.AsObject();

        Assert.Equal("DELIVERY_STATUS_DELIVERED", (string?)delivery["status"]);
        Assert.Null(delivery["givenUpTargetIds"]);
        var attempt = Assert.Single(delivery["attempts"]!.AsArray())!.AsObject();
        Assert.Equal(hook, (string?)attempt["targetId"]);
        Assert.Equal("DELIVERY_ATTEMPT_OUTCOME_SUCCEEDED", (string?)attempt["outcome"]);
        Assert.Equal(200, (int)attempt["statusCode"]!);
        Assert.Null(attempt["reason"]);
    }

    [Fact]
    public async Task Get_RecordBodiesOn_ShowsThePayloadAndTheAnswer()
    {
        await using var host = await StartAsync(services => services.Configure<DeliveryOptions>(o => o.RecordBodies = true));
        await HookAndGoneAsync(host);
        host.Receiver.Answer("/hook", ReceiverAnswer.Json("""{"seen":true}"""));
        var id = await PublishAsync(host, "user.added");

        var delivery = (await GetJsonAsync(host, $"{Deliveries}/{id}"))["delivery"]!.AsObject();

        Assert.Contains("\"event_type\":\"user.added\"", (string?)delivery["payload"], StringComparison.Ordinal);
        Assert.Equal("""{"seen":true}""", (string?)Assert.Single(delivery["attempts"]!.AsArray())!["responseBody"]);
    }

    [Fact]
    public async Task Get_UnknownId_Answers404Code5()
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, $"{Deliveries}/nope");

        await BodyAsync(response, HttpStatusCode.NotFound, 5);
    }

    [Fact]
    public async Task Replay_DeadLetter_RedeliversWithTheSameWebhookId()
    {
        await using var host = await StartAsync();
        await HookAndGoneAsync(host);
        var id = await PublishAsync(host, "user.removed");
        host.Receiver.Answer("/gone", ReceiverAnswer.Ok);

        using var response = await host.SendAsync(HttpMethod.Post, $"{Deliveries}/{id}/replay");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var replayed = JsonNode.Parse(text)!["delivery"]!;
        Assert.Equal(id, (string?)replayed["id"]);
        Assert.Equal(1, (int)replayed["replays"]!);
        await UntilAsync(host, id, DeliveryStatus.Delivered);
        var calls = host.Receiver.RequestsTo("/gone");
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal(id, c.Header("webhook-id")));
        var after = (await GetJsonAsync(host, $"{Deliveries}/{id}"))["delivery"]!;
        Assert.Equal("DELIVERY_STATUS_DELIVERED", (string?)after["status"]);
    }

    [Fact]
    public async Task Replay_Pending_Answers400Code9()
    {
        // A retry an hour later, on a clock that does not move: the delivery stays pending.
        await using var host = await StartAsync(services => services.Configure<DeliveryOptions>(o => o.RetrySchedule = [TimeSpan.Zero, TimeSpan.FromHours(1)]));
        await HookAndGoneAsync(host);
        host.Receiver.Answer("/hook", ReceiverAnswer.Text(503, "busy"));
        var dispatcher = host.App.Services.GetRequiredService<IActionDispatcher>();
        await dispatcher.PublishEventAsync(new FlowContext(Tenant), Event("user.added"));
        var id = await UntilAsync(host, null, DeliveryStatus.Pending, attempted: true);

        using var response = await host.SendAsync(HttpMethod.Post, $"{Deliveries}/{id}/replay");

        await BodyAsync(response, HttpStatusCode.BadRequest, 9);
        var delivery = (await GetJsonAsync(host, $"{Deliveries}/{id}"))["delivery"]!;
        Assert.Equal("DELIVERY_STATUS_PENDING", (string?)delivery["status"]);
        Assert.Equal("2024-12-18T08:50:47.492Z", (string?)delivery["nextAttemptDate"]);
        Assert.Equal("DELIVERY_ATTEMPT_OUTCOME_RETRYING", (string?)Assert.Single(delivery["attempts"]!.AsArray())!["outcome"]);
    }

    [Fact]
    public async Task Replay_UnknownId_Answers404Code5()
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, $"{Deliveries}/nope/replay");

        await BodyAsync(response, HttpStatusCode.NotFound, 5);
    }

    [Fact]
    public async Task ReplayDeadLetters_Since_ReplaysTheDeadLettersFromThenAndAnswersTheCount()
    {
        await using var host = await StartAsync();
        await HookAndGoneAsync(host);
        var old = await PublishAsync(host, "user.removed");
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var first = await PublishAsync(host, "user.removed");
        var second = await PublishAsync(host, "user.removed");
        await PublishAsync(host, "user.added");
        host.Receiver.Answer("/gone", ReceiverAnswer.Ok);

        using var response = await host.SendAsync(HttpMethod.Post, $"{Deliveries}/replay", """{"since":"2024-12-18T07:51:47.492Z"}""");

        Assert.Equal("""{"replayed":2}""", await response.Content.ReadAsStringAsync());
        await UntilAsync(host, first, DeliveryStatus.Delivered);
        await UntilAsync(host, second, DeliveryStatus.Delivered);
        Assert.Equal(2, host.Receiver.RequestsTo("/gone").Count(r => string.Equals(r.Header("webhook-id"), first, StringComparison.Ordinal)));
        Assert.Equal(2, host.Receiver.RequestsTo("/gone").Count(r => string.Equals(r.Header("webhook-id"), second, StringComparison.Ordinal)));
        Assert.Equal(1, host.Receiver.RequestsTo("/gone").Count(r => string.Equals(r.Header("webhook-id"), old, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReplayDeadLetters_TargetId_OnlyThoseThatGaveUpThatTarget()
    {
        await using var host = await StartAsync();
        var (_, gone) = await HookAndGoneAsync(host);
        var (other, _) = await host.CreateTargetAsync("other", interrupt: false);
        host.Receiver.Answer("/other", ReceiverAnswer.Text(410, "gone"));
        await host.SetExecutionAsync("""{"event":{"event":"user.locked"}}""", other);
        await PublishAsync(host, "user.removed");
        await PublishAsync(host, "user.locked");

        using var response = await host.SendAsync(HttpMethod.Post, $"{Deliveries}/replay", $$"""{"since":"2024-12-18T00:00:00Z","targetId":"{{gone}}"}""");

        Assert.Equal("""{"replayed":1}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{}", "since")]
    [InlineData("""{"since":"yesterday"}""", "since")]
    [InlineData("""{"since":"2024-12-18T00:00:00Z","target":"t1"}""", "target")]
    public async Task ReplayDeadLetters_BadBody_Answers400NamingTheField(string body, string field)
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, $"{Deliveries}/replay", body);

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal(field, Assert.Single(Violations(error)).Field);
    }

    [Theory]
    [InlineData("?status=failed", "status")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?page=2", "page")]
    [InlineData("?offset=-1", "offset")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?from=2024-12-19T00:00:00Z&to=2024-12-18T00:00:00Z", "from")]
    public async Task List_BadQuery_Answers400NamingTheParameter(string query, string field)
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, Deliveries + query);

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        Assert.Equal(field, Assert.Single(Violations(error)).Field);
    }

    [Theory]
    [InlineData("GET", Deliveries, null, ActionPermissions.DeliveryRead)]
    [InlineData("GET", Deliveries + "/d1", null, ActionPermissions.DeliveryRead)]
    [InlineData("POST", Deliveries + "/d1/replay", null, ActionPermissions.DeliveryWrite)]
    [InlineData("POST", Deliveries + "/replay", """{"since":"2024-12-18T00:00:00Z"}""", ActionPermissions.DeliveryWrite)]
    public async Task Deliveries_NoPermission_Answers403Code7NamingIt(string method, string path, string? body, string permission)
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), path, body, key: TestAuthenticationHandler.Nobody);

        await ErrorAsync(response, HttpStatusCode.Forbidden, 7, $"The caller lacks the permission '{permission}' in tenant '{Tenant}'; ask an administrator to grant it.");
    }

    [Fact]
    public async Task Deliveries_Reader_ReadsButMayNotReplay()
    {
        await using var host = await StartAsync();
        await HookAndGoneAsync(host);
        var id = await PublishAsync(host, "user.removed");

        using var list = await host.SendAsync(HttpMethod.Get, Deliveries, key: TestAuthenticationHandler.Reader);
        using var get = await host.SendAsync(HttpMethod.Get, $"{Deliveries}/{id}", key: TestAuthenticationHandler.Reader);
        using var replay = await host.SendAsync(HttpMethod.Post, $"{Deliveries}/{id}/replay", key: TestAuthenticationHandler.Reader);
        using var replayAll = await host.SendAsync(HttpMethod.Post, $"{Deliveries}/replay", "{not json", key: TestAuthenticationHandler.Reader);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        await BodyAsync(replay, HttpStatusCode.Forbidden, 7);
        await BodyAsync(replayAll, HttpStatusCode.Forbidden, 7);
        Assert.Single(host.Receiver.RequestsTo("/gone"));
    }

    [Fact]
    public async Task Deliveries_OtherTenant_NeitherListedNorFetchedNorReplayed()
    {
        await using var host = await StartAsync(tenants: true);
        await HookAndGoneAsync(host, tenant: "a");
        var id = await PublishAsync(host, "user.removed", tenant: "a");

        var own = await GetJsonAsync(host, Deliveries, tenant: "a");
        var other = await GetJsonAsync(host, Deliveries, tenant: "b");
        using var get = await host.SendAsync(HttpMethod.Get, $"{Deliveries}/{id}", tenant: "b");
        using var replay = await host.SendAsync(HttpMethod.Post, $"{Deliveries}/{id}/replay", tenant: "b");
        using var replayAll = await host.SendAsync(HttpMethod.Post, $"{Deliveries}/replay", """{"since":"2024-12-18T00:00:00Z"}""", tenant: "b");

        Assert.Equal(id, (string?)Assert.Single(own["result"]!.AsArray())!["id"]);
        Assert.Empty(other["result"]!.AsArray());
        Assert.Equal("0", (string?)other["details"]!["totalResult"]);
        await BodyAsync(get, HttpStatusCode.NotFound, 5);
        await BodyAsync(replay, HttpStatusCode.NotFound, 5);
        Assert.Equal("""{"replayed":0}""", await replayAll.Content.ReadAsStringAsync());
        Assert.Single(host.Receiver.RequestsTo("/gone"));
    }

    private static Task<ApiHost> StartAsync(Action<IServiceCollection>? services = null, bool tenants = false) =>
        ApiHost.StartAsync(
            configure: tenants ? b => b.UseTenantResolver<HeaderTenantResolver>() : null,
            services: s =>
            {
                // One attempt: a failure is a dead letter at once, without waiting on the clock.
                s.Configure<DeliveryOptions>(o => o.RetrySchedule = [TimeSpan.Zero]);
                services?.Invoke(s);
            });

    /// <summary>Two webhooks: <c>/hook</c> answers 200 to <c>user.added</c>, <c>/gone</c> answers 410 to <c>user.removed</c>.</summary>
    private static async Task<(string Hook, string Gone)> HookAndGoneAsync(ApiHost host, string? tenant = null)
    {
        host.Receiver.Answer("/hook", ReceiverAnswer.Ok);
        host.Receiver.Answer("/gone", ReceiverAnswer.Text(410, "gone"));
        var (hook, _) = await host.CreateTargetAsync("hook", interrupt: false, tenant: tenant);
        var (gone, _) = await host.CreateTargetAsync("gone", interrupt: false, tenant: tenant);
        await SetAsync(host, """{"event":{"event":"user.added"}}""", hook, tenant);
        await SetAsync(host, """{"event":{"event":"user.removed"}}""", gone, tenant);
        return (hook, gone);
    }

    private static async Task SetAsync(ApiHost host, string condition, string target, string? tenant)
    {
        using var response = await host.SendAsync(HttpMethod.Put, "/v3alpha/executions", $$"""{"condition":{{condition}},"targets":["{{target}}"]}""", tenant: tenant);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Publishes an event and waits until its delivery is finished; returns the delivery id.</summary>
    private static async Task<string> PublishAsync(ApiHost host, string eventType, string tenant = Tenant)
    {
        var management = host.App.Services.GetRequiredService<IActionManagement>();
        var before = (await management.ListDeliveriesAsync(ManagementCaller.ForHost(tenant), new DeliveryQuery { Limit = DeliveryQuery.MaxLimit })).Deliveries
            .Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        await host.App.Services.GetRequiredService<IActionDispatcher>().PublishEventAsync(new FlowContext(tenant), Event(eventType, tenant));
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var page = await management.ListDeliveriesAsync(ManagementCaller.ForHost(tenant), new DeliveryQuery { Limit = DeliveryQuery.MaxLimit });
            if (page.Deliveries.FirstOrDefault(d => !before.Contains(d.Id)) is { Status: not DeliveryStatus.Pending } finished)
            {
                return finished.Id;
            }

            if (clock.Elapsed > Patience)
            {
                throw new XunitException($"The {eventType} delivery did not finish.");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Waits until the delivery (or, without an id, the newest one) has the status, and with <paramref name="attempted"/> an attempt.</summary>
    private static async Task<string> UntilAsync(ApiHost host, string? id, DeliveryStatus status, bool attempted = false)
    {
        var management = host.App.Services.GetRequiredService<IActionManagement>();
        var caller = ManagementCaller.ForHost(Tenant);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var record = id is null
                ? (await management.ListDeliveriesAsync(caller, new DeliveryQuery { Limit = 1 })).Deliveries.FirstOrDefault()
                : await management.GetDeliveryAsync(caller, id);
            if (record is not null && record.Status == status
                && (!attempted || (await management.GetDeliveryAsync(caller, record.Id)).Attempts.Length > 0))
            {
                return record.Id;
            }

            if (clock.Elapsed > Patience)
            {
                throw new XunitException($"The delivery {id} did not become {status}.");
            }

            await Task.Delay(5);
        }
    }

    private static async Task<JsonObject> GetJsonAsync(ApiHost host, string path, string? tenant = null)
    {
        using var response = await host.SendAsync(HttpMethod.Get, path, tenant: tenant);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return JsonNode.Parse(text)!.AsObject();
    }

    private static ActionEvent Event(string eventType, string tenant = Tenant) => new()
    {
        EventType = eventType,
        AggregateId = "u1",
        AggregateType = "user",
        ResourceOwner = tenant,
        Payload = Encoding.UTF8.GetBytes("""{"name":"Ada"}"""),
    };
}
