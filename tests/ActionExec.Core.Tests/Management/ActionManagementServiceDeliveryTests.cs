using ActionExec.Delivery;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Tests.Support;
using NSubstitute;

namespace ActionExec.Tests.Management;

/// <summary>The delivery history members of the management service: permissions, validation, tenant scope, not found.</summary>
public sealed class ActionManagementServiceDeliveryTests : IDisposable
{
    private readonly ManagementHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task ListDeliveriesAsync_CallersTenant_ListsOnlyItsDeliveries()
    {
        await EnqueueAsync("mine", ManagementHarness.Tenant);
        await EnqueueAsync("theirs", "other-tenant");

        var page = await _h.Service.ListDeliveriesAsync(_h.Caller, new DeliveryQuery());

        Assert.Equal("mine", Assert.Single(page.Deliveries).Id);
        Assert.Equal(1, page.TotalCount);
    }

    [Fact]
    public async Task ListDeliveriesAsync_InvalidQuery_FailsNamingEveryField()
    {
        var query = new DeliveryQuery
        {
            Offset = -1,
            Limit = DeliveryQuery.MaxLimit + 1,
            From = TestTime.Start.AddHours(1),
            To = TestTime.Start,
            TargetId = "",
            Status = (DeliveryStatus)7,
        };

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.ListDeliveriesAsync(_h.Caller, query).AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal(["offset", "limit", "from", "status", "targetId"], error.Violations.Select(v => v.Field));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task ListDeliveriesAsync_LimitBelowOne_FailsNamingTheLimit(int limit)
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.ListDeliveriesAsync(_h.Caller, new DeliveryQuery { Limit = limit }).AsTask());

        Assert.Equal("limit", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public async Task ListDeliveriesAsync_LimitAtTheMaximumAndEqualBounds_IsValid()
    {
        var page = await _h.Service.ListDeliveriesAsync(_h.Caller, new DeliveryQuery { Limit = DeliveryQuery.MaxLimit, From = TestTime.Start, To = TestTime.Start });

        Assert.Empty(page.Deliveries);
    }

    [Fact]
    public async Task GetDeliveryAsync_OwnDelivery_ReturnsItWithItsAttempts()
    {
        await EnqueueAsync("d1", ManagementHarness.Tenant);

        var record = await _h.Service.GetDeliveryAsync(_h.Caller, "d1");

        Assert.Equal("d1", record.Id);
        Assert.Equal(DeliveryStatus.Pending, record.Status);
    }

    [Fact]
    public async Task GetDeliveryAsync_AnotherTenantsDelivery_FailsWithNotFound()
    {
        await EnqueueAsync("theirs", "other-tenant");

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.GetDeliveryAsync(_h.Caller, "theirs").AsTask());

        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
    }

    [Fact]
    public async Task GetDeliveryAsync_EmptyId_FailsNamingTheField()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.GetDeliveryAsync(_h.Caller, "").AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal("deliveryId", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public async Task ReplayDeliveryAsync_DeadLetter_IsPendingAgainWithTheSameId()
    {
        await DeadLetterAsync("d1", ManagementHarness.Tenant);

        var record = await _h.Service.ReplayDeliveryAsync(_h.Caller, "d1");

        Assert.Equal("d1", record.Id);
        Assert.Equal(DeliveryStatus.Pending, record.Status);
        Assert.Equal(1, record.Replays);
    }

    [Fact]
    public async Task ReplayDeliveryAsync_AnotherTenantsDeliveryOrUnknown_FailsWithNotFoundAndChangesNothing()
    {
        await DeadLetterAsync("theirs", "other-tenant");

        var theirs = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.ReplayDeliveryAsync(_h.Caller, "theirs").AsTask());
        var unknown = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.ReplayDeliveryAsync(_h.Caller, "unknown").AsTask());

        Assert.Equal(ActionExecErrorCode.NotFound, theirs.Code);
        Assert.Equal(ActionExecErrorCode.NotFound, unknown.Code);
        Assert.Equal(DeliveryStatus.DeadLettered, (await _h.Deliveries.GetAsync("other-tenant", "theirs", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task ReplayDeliveryAsync_StillPending_FailsWithFailedPrecondition()
    {
        await EnqueueAsync("d1", ManagementHarness.Tenant);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.ReplayDeliveryAsync(_h.Caller, "d1").AsTask());

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
    }

    [Fact]
    public async Task ReplayDeadLettersAsync_CallersTenant_ReplaysOnlyItsDeadLetters()
    {
        await DeadLetterAsync("mine", ManagementHarness.Tenant);
        await DeadLetterAsync("theirs", "other-tenant");

        var replayed = await _h.Service.ReplayDeadLettersAsync(_h.Caller, TestTime.Start, targetId: null);

        Assert.Equal(1, replayed);
        Assert.Equal(DeliveryStatus.DeadLettered, (await _h.Deliveries.GetAsync("other-tenant", "theirs", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task ReplayDeadLettersAsync_EmptyTargetId_FailsNamingTheField()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.ReplayDeadLettersAsync(_h.Caller, TestTime.Start, "").AsTask());

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal("targetId", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public async Task DeliveryReads_WithoutDeliveryRead_FailPermissionDeniedBeforeValidation()
    {
        _h.Permissions.HasPermissionAsync(Arg.Any<ManagementCaller>(), ActionPermissions.DeliveryRead, Arg.Any<CancellationToken>()).Returns(false);

        var list = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.ListDeliveriesAsync(_h.Caller, new DeliveryQuery { Offset = -1 }).AsTask());
        var get = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.GetDeliveryAsync(_h.Caller, "").AsTask());

        Assert.Equal(ActionExecErrorCode.PermissionDenied, list.Code);
        Assert.Equal(ActionExecErrorCode.PermissionDenied, get.Code);
        Assert.Contains("'action.delivery.read'", list.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await _h.Service.ReplayDeadLettersAsync(_h.Caller, TestTime.Start, null)));
    }

    [Fact]
    public async Task DeliveryWrites_WithoutDeliveryWrite_FailPermissionDeniedAndReplayNothing()
    {
        await DeadLetterAsync("d1", ManagementHarness.Tenant);
        _h.Permissions.HasPermissionAsync(Arg.Any<ManagementCaller>(), ActionPermissions.DeliveryWrite, Arg.Any<CancellationToken>()).Returns(false);

        var one = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.ReplayDeliveryAsync(_h.Caller, "d1").AsTask());
        var all = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.ReplayDeadLettersAsync(_h.Caller, TestTime.Start, null).AsTask());

        Assert.Equal(ActionExecErrorCode.PermissionDenied, one.Code);
        Assert.Equal(ActionExecErrorCode.PermissionDenied, all.Code);
        Assert.Contains("'action.delivery.write'", one.Message, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.DeadLettered, (await _h.Service.GetDeliveryAsync(_h.Caller, "d1")).Status);
    }

    [Fact]
    public async Task DeliveryMembers_FeatureDisabled_FailWithFailedPrecondition()
    {
        _h.Features.IsActionsEnabledAsync(default!, default).ReturnsForAnyArgs(false);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => _h.Service.ListDeliveriesAsync(_h.Caller, new DeliveryQuery()).AsTask());

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
    }

    private Task EnqueueAsync(string id, string tenantId) =>
        _h.Deliveries.EnqueueAsync(Delivery(id, tenantId), _h.Time.GetUtcNow().AddHours(1), CancellationToken.None).AsTask();

    private async Task DeadLetterAsync(string id, string tenantId)
    {
        await _h.Deliveries.EnqueueAsync(Delivery(id, tenantId), _h.Time.GetUtcNow(), CancellationToken.None);
        var lease = Assert.Single(await _h.Deliveries.LeaseAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.True(await _h.Deliveries.DeadLetterAsync(lease, lease.Delivery with { NextTarget = 1, GivenUpTargetIds = ["target"] }, [], CancellationToken.None));
    }

    private BackgroundDelivery Delivery(string id, string tenantId) => new()
    {
        Id = id,
        TenantId = tenantId,
        Source = "event/user.human.added",
        TargetIds = ["target"],
        Payload = "{}"u8.ToArray(),
        CreatedAt = _h.Time.GetUtcNow(),
    };
}
