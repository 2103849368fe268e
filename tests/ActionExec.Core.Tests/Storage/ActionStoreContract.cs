using System.Diagnostics;
using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Storage;
using ActionExec.Targets;

namespace ActionExec.Tests.Storage;

/// <summary>
/// What every <see cref="IActionStore"/> must do, run against each store (this file is shared as source by the tests of the
/// in-memory store and of the PostgreSQL store): load what was committed exactly, refuse a commit computed against a stale
/// sequence and write none of it, keep tenants apart, and tell another instance that a tenant changed.
/// </summary>
public abstract class ActionStoreContract : IAsyncLifetime
{
    protected const string Tenant = "tenant-a";
    private const string OtherTenant = "tenant-b";

    // Whole microseconds and a non-UTC offset: what a store must give back is the same instant.
    private static readonly DateTimeOffset When = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1_230);

    private static readonly Condition Method = Condition.RequestMethod("/pkg.v1.Service/Method");
    private static readonly Condition Group = Condition.EventGroup("user.human");
    private static readonly Condition Function = Condition.Function("preuserinfo");

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IActionStore> CreateStoreAsync();

    /// <summary>A second instance over the same data as <paramref name="store"/>, as another replica of the host would have.</summary>
    protected abstract Task<IActionStore> OpenAnotherInstanceAsync(IActionStore store);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LoadAsync_TenantNeverCommitted_IsEmptyAtSequenceZero()
    {
        var store = await CreateStoreAsync();

        var state = await store.LoadAsync(Tenant, CancellationToken.None);

        Assert.Equal(Tenant, state.TenantId);
        Assert.Equal(0UL, state.Sequence);
        Assert.Empty(state.Targets);
        Assert.Empty(state.Executions);
        Assert.Equal(0UL, await store.GetSequenceAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task CommitAsync_ThenLoadAsync_ReturnsTheTargetsAndExecutionsExactlyAsCommitted()
    {
        var store = await CreateStoreAsync();
        StoredTarget[] targets =
        [
            NewTarget("t-call", "call", 1, TargetType.Call, SignatureScheme.Zitadel),
            NewTarget("t-hook", "hook", 1, TargetType.Webhook, SignatureScheme.StandardWebhooks),
            NewTarget("t-async", "async", 1, TargetType.Async, SignatureScheme.Zitadel),
        ];
        Execution[] executions =
        [
            NewExecution(Method, 1, ExecutionEntry.ForTarget("t-call"), ExecutionEntry.ForInclude(Group), ExecutionEntry.ForTarget("t-hook")),
            NewExecution(Group, 1, ExecutionEntry.ForTarget("t-async")),
            NewExecution(Function, 1, ExecutionEntry.ForTarget("t-call")),
            NewExecution(Condition.AllEvents, 1, ExecutionEntry.ForInclude(Condition.Event("user.human.added"))),
        ];

        await store.CommitAsync(Change(0) with { UpsertedTargets = [.. targets], UpsertedExecutions = [.. executions] }, CancellationToken.None);
        var state = await store.LoadAsync(Tenant, CancellationToken.None);

        Assert.Equal(1UL, state.Sequence);
        Assert.Equal(1UL, await store.GetSequenceAsync(Tenant, CancellationToken.None));
        Assert.Equal(ById(targets), ById(state.Targets));
        Assert.Equal(ById(executions), ById(state.Executions));
    }

    [Fact]
    public async Task CommitAsync_ExecutionCreationDateAndEveryPayloadType_AreLoadedAsCommitted()
    {
        var store = await CreateStoreAsync();
        StoredTarget[] targets =
        [
            WithPayload(NewTarget("t-json", "json", 1), PayloadType.Json),
            WithPayload(NewTarget("t-jwt", "jwt", 1), PayloadType.Jwt),
            WithPayload(NewTarget("t-jwe", "jwe", 1), PayloadType.Jwe),
        ];
        var execution = NewExecution(Method, 1, ExecutionEntry.ForTarget("t-jwt")) with { CreationDate = When.AddDays(-3) };

        await store.CommitAsync(Change(0) with { UpsertedTargets = [.. targets], UpsertedExecutions = [execution] }, CancellationToken.None);
        var state = await store.LoadAsync(Tenant, CancellationToken.None);

        Assert.Equal(ById(targets), ById(state.Targets));
        Assert.Equal([PayloadType.Json, PayloadType.Jwe, PayloadType.Jwt], ById(state.Targets).Select(t => t.Target.PayloadType));
        var loaded = Assert.Single(state.Executions);
        Assert.Equal(execution, loaded);
        Assert.Equal(When.AddDays(-3), loaded.CreationDate);
    }

    [Fact]
    public async Task CommitAsync_UpsertOfAnExistingIdAndDeletes_ReplaceAndRemoveOnlyWhatTheyName()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(Change(0) with
        {
            UpsertedTargets = [NewTarget("t1", "one", 1), NewTarget("t2", "two", 1), NewTarget("t3", "three", 1)],
            UpsertedExecutions = [NewExecution(Method, 1, ExecutionEntry.ForTarget("t1")), NewExecution(Group, 1, ExecutionEntry.ForTarget("t2"))],
        }, CancellationToken.None);
        var renamed = NewTarget("t1", "uno", 2, TargetType.Webhook, SignatureScheme.StandardWebhooks);
        var replaced = NewExecution(Method, 2, ExecutionEntry.ForTarget("t3"), ExecutionEntry.ForTarget("t1"));

        await store.CommitAsync(Change(1) with
        {
            UpsertedTargets = [renamed],
            DeletedTargetIds = ["t2", "never-existed"],
            UpsertedExecutions = [replaced],
            DeletedExecutions = [Group, Function],
        }, CancellationToken.None);
        var state = await store.LoadAsync(Tenant, CancellationToken.None);

        Assert.Equal(2UL, state.Sequence);
        Assert.Equal(ById([renamed, NewTarget("t3", "three", 1)]).Select(t => t.Target), ById(state.Targets).Select(t => t.Target));
        Assert.Equal(renamed.SigningKey, state.Targets.Single(t => string.Equals(t.Target.Id, "t1", StringComparison.Ordinal)).SigningKey);
        Assert.Equal<Execution>([replaced], state.Executions);
    }

    [Fact]
    public async Task CommitAsync_DeleteAndUpsertOfOneIdInOneChange_KeepsTheUpsert()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(Change(0) with { UpsertedTargets = [NewTarget("t1", "one", 1)], UpsertedExecutions = [NewExecution(Method, 1, ExecutionEntry.ForTarget("t1"))] }, CancellationToken.None);
        var target = NewTarget("t1", "again", 2);
        var execution = NewExecution(Method, 2);

        await store.CommitAsync(Change(1) with { DeletedTargetIds = ["t1"], UpsertedTargets = [target], DeletedExecutions = [Method], UpsertedExecutions = [execution] }, CancellationToken.None);
        var state = await store.LoadAsync(Tenant, CancellationToken.None);

        Assert.Equal<StoredTarget>([target], state.Targets);
        Assert.Equal<Execution>([execution], state.Executions);
    }

    [Fact]
    public async Task CommitAsync_StaleExpectedSequence_IsAbortedAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(Change(0) with { UpsertedTargets = [NewTarget("t1", "one", 1)] }, CancellationToken.None);
        await store.CommitAsync(Change(1) with { UpsertedExecutions = [NewExecution(Method, 2, ExecutionEntry.ForTarget("t1"))] }, CancellationToken.None);
        var before = await store.LoadAsync(Tenant, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await store.CommitAsync(
            Change(1) with { DeletedTargetIds = ["t1"], UpsertedTargets = [NewTarget("t9", "nine", 2)], DeletedExecutions = [Method] },
            CancellationToken.None));

        Assert.Equal(ActionExecErrorCode.Aborted, error.Code);
        var after = await store.LoadAsync(Tenant, CancellationToken.None);
        Assert.Equal(2UL, after.Sequence);
        Assert.Equal(ById(before.Targets), ById(after.Targets));
        Assert.Equal(ById(before.Executions), ById(after.Executions));
    }

    [Fact]
    public async Task CommitAsync_FirstChangeOfATenantThatAlreadyChanged_IsAborted()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(Change(0) with { UpsertedTargets = [NewTarget("t1", "one", 1)] }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await store.CommitAsync(
            Change(0) with { UpsertedTargets = [NewTarget("t2", "two", 1)] }, CancellationToken.None));

        Assert.Equal(ActionExecErrorCode.Aborted, error.Code);
        Assert.Equal(["t1"], (await store.LoadAsync(Tenant, CancellationToken.None)).Targets.Select(t => t.Target.Id));
    }

    [Fact]
    public async Task CommitAsync_ManyWritersAtOneSequence_ExactlyOneWinsAndTheOthersAreAborted()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(Change(0), CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.CommitAsync(Change(1) with { UpsertedTargets = [NewTarget("t" + i, "name" + i, 2)] }, CancellationToken.None);
                return "won";
            }
            catch (ActionExecException e) when (e.Code == ActionExecErrorCode.Aborted)
            {
                return "aborted";
            }
        })));

        Assert.Single(outcomes, o => string.Equals(o, "won", StringComparison.Ordinal));
        var state = await store.LoadAsync(Tenant, CancellationToken.None);
        Assert.Equal(2UL, state.Sequence);
        Assert.Single(state.Targets);
    }

    [Fact]
    public async Task CommitAsync_OneTenant_LeavesEveryOtherTenantAlone()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(Change(0, OtherTenant) with { UpsertedTargets = [NewTarget("t1", "theirs", 1)], UpsertedExecutions = [NewExecution(Method, 1, ExecutionEntry.ForTarget("t1"))] }, CancellationToken.None);

        await store.CommitAsync(Change(0) with { UpsertedTargets = [NewTarget("t1", "mine", 1)] }, CancellationToken.None);
        await store.CommitAsync(Change(1) with { DeletedTargetIds = ["t1"], DeletedExecutions = [Method] }, CancellationToken.None);

        var other = await store.LoadAsync(OtherTenant, CancellationToken.None);
        Assert.Equal(1UL, other.Sequence);
        Assert.Equal("theirs", Assert.Single(other.Targets).Target.Name);
        Assert.Single(other.Executions);
        var mine = await store.LoadAsync(Tenant, CancellationToken.None);
        Assert.Equal(2UL, mine.Sequence);
        Assert.Empty(mine.Targets);
    }

    [Fact]
    public async Task CommitAsync_AlreadyCancelled_ThrowsAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.CommitAsync(
            Change(0) with { UpsertedTargets = [NewTarget("t1", "one", 1)] }, cancelled.Token));

        Assert.Equal(0UL, await store.GetSequenceAsync(Tenant, CancellationToken.None));
        Assert.Empty((await store.LoadAsync(Tenant, CancellationToken.None)).Targets);
    }

    [Fact]
    public async Task Watch_ACommitThroughAnotherInstance_FiresTheToken()
    {
        var store = await CreateStoreAsync();
        var other = await OpenAnotherInstanceAsync(store);
        await other.LoadAsync(Tenant, CancellationToken.None);
        var token = other.Watch(Tenant);
        Assert.False(token.HasChanged);

        await store.CommitAsync(Change(0) with { UpsertedTargets = [NewTarget("t1", "one", 1)] }, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        while (!token.HasChanged && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(5);
        }

        Assert.True(token.HasChanged, "The other instance's token did not fire after a commit.");
        Assert.Equal(1UL, await other.GetSequenceAsync(Tenant, CancellationToken.None));
        Assert.Equal("one", Assert.Single((await other.LoadAsync(Tenant, CancellationToken.None)).Targets).Target.Name);
    }

    [Fact]
    public async Task CommitAsync_TargetWithPublicKeys_LoadsTheKeysExactlyAndInOrder()
    {
        var store = await CreateStoreAsync();
        var target = NewTarget("t1", "one", 1) with { PublicKeys = [NewKey("k2", active: true, expires: When.AddDays(30)), NewKey("k1", active: false, expires: null)] };

        await store.CommitAsync(Change(0) with { UpsertedTargets = [target, NewTarget("t2", "two", 1)] }, CancellationToken.None);
        var state = await store.LoadAsync(Tenant, CancellationToken.None);

        var loaded = ById(state.Targets);
        Assert.Equal(target, loaded[0]);
        Assert.Equal(["k2", "k1"], loaded[0].PublicKeys.Select(k => k.KeyId));
        Assert.Empty(loaded[1].PublicKeys);
    }

    [Fact]
    public async Task CommitAsync_UpsertWithOtherKeys_ReplacesTheTargetsKeys()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(Change(0) with { UpsertedTargets = [NewTarget("t1", "one", 1) with { PublicKeys = [NewKey("k1", true, null), NewKey("k2", false, null)] }] }, CancellationToken.None);
        var changed = NewTarget("t1", "one", 1) with { PublicKeys = [NewKey("k1", false, null) with { ChangeDate = When.AddSeconds(9) }, NewKey("k3", true, When.AddHours(1))] };

        await store.CommitAsync(Change(1) with { UpsertedTargets = [changed] }, CancellationToken.None);
        var state = await store.LoadAsync(Tenant, CancellationToken.None);

        Assert.Equal(changed, Assert.Single(state.Targets));
    }

    [Fact]
    public async Task CommitAsync_DeletedTarget_TakesItsKeysAlong()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(Change(0) with { UpsertedTargets = [NewTarget("t1", "one", 1) with { PublicKeys = [NewKey("k1", true, null)] }] }, CancellationToken.None);
        await store.CommitAsync(Change(1) with { DeletedTargetIds = ["t1"] }, CancellationToken.None);

        // A new target with the same id starts without keys.
        await store.CommitAsync(Change(2) with { UpsertedTargets = [NewTarget("t1", "again", 3)] }, CancellationToken.None);
        var state = await store.LoadAsync(Tenant, CancellationToken.None);

        Assert.Empty(Assert.Single(state.Targets).PublicKeys);
    }

    [Fact]
    public async Task LoadAsync_AnotherInstance_SeesTheSameKeys()
    {
        var store = await CreateStoreAsync();
        var other = await OpenAnotherInstanceAsync(store);
        var target = NewTarget("t1", "one", 1) with { PublicKeys = [NewKey("k1", true, When.AddDays(1))] };

        await store.CommitAsync(Change(0) with { UpsertedTargets = [target] }, CancellationToken.None);

        Assert.Equal(target, Assert.Single((await other.LoadAsync(Tenant, CancellationToken.None)).Targets));
    }

    private static TenantChange Change(ulong expected, string tenant = Tenant) =>
        new() { TenantId = tenant, ExpectedSequence = expected, ChangeDate = When.AddSeconds(expected + 1) };

    private static StoredTarget NewTarget(string id, string name, ulong sequence, TargetType type = TargetType.Call, SignatureScheme scheme = SignatureScheme.Zitadel) =>
        new(
            new Target
            {
                Id = id,
                Name = name,
                Endpoint = $"https://{name}.example.com/hook?x=1",
                Type = type,
                Timeout = TimeSpan.FromMilliseconds(1500),
                InterruptOnError = type != TargetType.Async,
                SignatureScheme = scheme,
                CreationDate = When,
                ChangeDate = When.AddSeconds(sequence),
                Sequence = sequence,
            },
            // A key derived from the id, so that two targets with one id and sequence compare equal.
            scheme == SignatureScheme.StandardWebhooks ? "whsec_" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(id + name)) : "key-" + id + "-" + name);

    // The store keeps keys as given: the text need not be a real key (the management service checks that).
    private static TargetPublicKey NewKey(string id, bool active, DateTimeOffset? expires) => new()
    {
        KeyId = id,
        PublicKey = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE" + id + "\n-----END PUBLIC KEY-----\n",
        Fingerprint = "SHA256:" + id,
        Active = active,
        ExpirationDate = expires,
        CreationDate = When.AddSeconds(1),
        ChangeDate = When.AddSeconds(2),
    };

    private static StoredTarget WithPayload(StoredTarget stored, PayloadType payloadType) =>
        new(stored.Target with { PayloadType = payloadType }, stored.SigningKey);

    private static Execution NewExecution(Condition condition, ulong sequence, params ExecutionEntry[] entries) =>
        new(condition, [.. entries], new ExecutionDetails(sequence, When.AddSeconds(sequence), Tenant));

    private static StoredTarget[] ById(IEnumerable<StoredTarget> targets) => [.. targets.OrderBy(t => t.Target.Id, StringComparer.Ordinal)];

    private static Execution[] ById(IEnumerable<Execution> executions) => [.. executions.OrderBy(e => e.Id, StringComparer.Ordinal)];
}
