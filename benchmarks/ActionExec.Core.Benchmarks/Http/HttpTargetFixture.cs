using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Benchmarks.Http;

/// <summary>
/// What both HTTP measurements share: the loopback receiver, ActionExec as <c>AddActionExecutions()</c> registers it with one
/// signed webhook target on the receiver, a raw <see cref="HttpClient"/>, and a payload of the size a request flow sends.
/// </summary>
internal sealed class HttpTargetFixture : IAsyncDisposable
{
    public const string JsonContentType = "application/json; charset=utf-8";

    private HttpTargetFixture(EmptyOkReceiver receiver, ServiceProvider services, ResolvedTarget target)
    {
        Receiver = receiver;
        Services = services;
        Caller = services.GetRequiredService<TargetCaller>();
        Target = target;
    }

    public static byte[] Payload { get; } = """
        {"fullMethod":"/zitadel.user.v2.UserService/AddHumanUser","instanceID":"69629023906488334","orgID":"69629023906488334","userID":"69629026806489455","request":{"username":"minnie","organization":{"orgId":"69629023906488334"},"profile":{"givenName":"Minnie","familyName":"Mouse","preferredLanguage":"en"},"email":{"email":"minnie@example.com","isVerified":true}},"headers":{"Content-Type":["application/json"],"X-Forwarded-For":["203.0.113.7"]}}
        """u8.ToArray();

    public EmptyOkReceiver Receiver { get; }

    public ServiceProvider Services { get; }

    public TargetCaller Caller { get; }

    public ResolvedTarget Target { get; }

    /// <summary>A client as a host would make one for itself: the default handler, no factory, no signing.</summary>
    public HttpClient Raw { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false });

    public static async Task<HttpTargetFixture> StartAsync()
    {
        var receiver = await EmptyOkReceiver.StartAsync().ConfigureAwait(false);
        var collection = new ServiceCollection();
        collection.AddActionExecutions().AddHttpTargets(static o => o.AllowLoopback());
        var services = collection.BuildServiceProvider();
        var admin = ManagementCaller.ForHost("bench");
        var created = await services.GetRequiredService<IActionManagement>().CreateTargetAsync(admin, new TargetSpec
        {
            Name = "hook",
            Endpoint = receiver.HookUrl.ToString(),
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(10),
            SignatureScheme = SignatureScheme.Zitadel,
        }).ConfigureAwait(false);
        var snapshot = await services.GetRequiredService<ActionEngine>().GetSnapshotAsync("bench").ConfigureAwait(false);
        if (!snapshot.TryGetResolvedTarget(created.Target.Id, out var target))
        {
            throw new InvalidOperationException($"The target {created.Target.Id} was not compiled into the snapshot.");
        }

        return new HttpTargetFixture(receiver, services, target);
    }

    /// <summary>One raw POST of the payload: the same bytes and content type, no signature.</summary>
    public async Task<int> PostRawAsync(CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(Payload);
        content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);
        using var response = await Raw.PostAsync(Receiver.HookUrl, content, cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode;
    }

    /// <summary>One signed POST of the payload through the caller and the HTTP invoker; throws when it did not succeed.</summary>
    public async Task<int> CallTargetAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var attempt = await Caller.CallAsync(Target, Payload, deliveryId, 1, cancellationToken).ConfigureAwait(false);
        return attempt.Succeeded ? attempt.StatusCode ?? 0 : throw new InvalidOperationException($"The signed call failed: {attempt.Reason}.");
    }

    public async ValueTask DisposeAsync()
    {
        Raw.Dispose();
        await Services.DisposeAsync().ConfigureAwait(false);
        await Receiver.DisposeAsync().ConfigureAwait(false);
    }
}
