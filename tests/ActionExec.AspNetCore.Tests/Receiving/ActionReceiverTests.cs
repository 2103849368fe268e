using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Receiving;
using ActionExec.AspNetCore.Tests.Interception;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Signatures;
using ActionExec.Targets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Receiving;

/// <summary>
/// The receiver helpers against the library's own sender: a host running request actions (<see cref="ApiHost"/>, whose
/// <c>/greet</c> is intercepted) calls targets served by a <see cref="ReceiverHost"/>, both on loopback Kestrel.
/// </summary>
public sealed class ActionReceiverTests
{
    private const string RequestCondition = """{"request":{"method":"/demo.v1.GreeterService/SayHello"}}""";
    private const string Zitadel = "zitadel";
    private const string StandardWebhooks = "standard-webhooks";
    private const string DirectKey = "a-direct-key";

    private readonly Greeter _greeter = new();
    private readonly List<string> _keys = [];
    private readonly List<(string Id, string Hook)> _targets = [];

    [Theory]
    [InlineData(Zitadel)]
    [InlineData(StandardWebhooks)]
    public async Task RequireActionSignature_DeliveryFromTheSender_HandlerGetsTheVerifiedPayload(string scheme)
    {
        await using var sender = await StartSenderAsync();
        await TargetAsync(sender, "gate", scheme);
        await using var receiver = await StartReceiverAsync(sender);

        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _greeter.Calls);
        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal(string.Equals(scheme, Zitadel, StringComparison.Ordinal) ? SignatureScheme.Zitadel : SignatureScheme.StandardWebhooks, delivery.Scheme);
        Assert.Equal(Greeter.Method, delivery.Payload.GetProperty("fullMethod").GetString());
        Assert.Equal("Ann", delivery.Payload.GetProperty("request").GetProperty("name").GetString());
        var arrived = Assert.Single(receiver.Arrived);
        Assert.Equal(arrived.Body, delivery.Body.ToArray());
        Assert.Equal(arrived.Header("webhook-id"), delivery.Id);
        Assert.Equal(ApiHost.Start.ToUnixTimeSeconds(), delivery.Timestamp.ToUnixTimeSeconds());
        Assert.Equal(string.Empty, delivery.ReceiverName);
    }

    [Fact]
    public async Task RequireActionSignature_BodyBinding_BindsThePayload()
    {
        await using var sender = await StartSenderAsync();
        await TargetAsync(sender, "typed", Zitadel);
        await using var receiver = await StartReceiverAsync(sender);

        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Ann"], receiver.Typed);
    }

    [Theory]
    [InlineData(Zitadel)]
    [InlineData(StandardWebhooks)]
    public async Task RequireActionSignature_SeveralKeys_AcceptsEachTargetsKey(string scheme)
    {
        await using var sender = await StartSenderAsync();
        var first = await CreateTargetAsync(sender, "first", "gate", scheme);
        var second = await CreateTargetAsync(sender, "second", "gate", scheme);
        await sender.SetExecutionAsync(RequestCondition, first, second);
        await using var receiver = await StartReceiverAsync(sender);

        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, receiver.Deliveries.Count);
        Assert.Equal(2, _keys.Count);
    }

    [Theory]
    [InlineData(Zitadel)]
    [InlineData(StandardWebhooks)]
    public async Task RequireActionSignature_KeyRotatedAndBothListed_AcceptsTheNewKey(string scheme)
    {
        await using var sender = await StartSenderAsync();
        var id = await TargetAsync(sender, "gate", scheme);
        using (var rotated = await sender.SendAsync(HttpMethod.Post, $"/v2beta/actions/targets/{id}/signing-key"))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            _keys.Add((string)JsonNode.Parse(await rotated.Content.ReadAsStringAsync())!["signingKey"]!);
        }

        await using var receiver = await StartReceiverAsync(sender);

        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(receiver.Deliveries);
    }

    [Fact]
    public async Task RequireActionSignature_OnlyTheOldKeyListed_RejectsTheDeliveryAndTheSenderFails()
    {
        await using var sender = await StartSenderAsync();
        var id = await TargetAsync(sender, "gate", Zitadel);
        using (var rotated = await sender.SendAsync(HttpMethod.Post, $"/v2beta/actions/targets/{id}/signing-key"))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        await using var receiver = await StartReceiverAsync(sender);

        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        await BodyAsync(response, HttpStatusCode.BadRequest, 9);
        Assert.Equal(0, _greeter.Calls);
        Assert.Empty(receiver.Deliveries);
        var arrived = Assert.Single(receiver.Arrived);
        using var again = await receiver.ReplayAsync(arrived);
        await ProblemAsync(again, HttpStatusCode.Unauthorized, "signature_mismatch");
    }

    [Theory]
    [InlineData(Zitadel)]
    [InlineData(StandardWebhooks)]
    public async Task RequireActionSignature_ExactReplay_Rejected(string scheme)
    {
        await using var sender = await StartSenderAsync();
        await TargetAsync(sender, "gate", scheme);
        await using var receiver = await StartReceiverAsync(sender);
        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var replayed = await receiver.ReplayAsync(Assert.Single(receiver.Arrived));

        await ProblemAsync(replayed, HttpStatusCode.Unauthorized, "replayed");
        Assert.Single(receiver.Deliveries);
    }

    [Fact]
    public async Task RequireActionSignature_ZitadelReplayWithoutWebhookId_RejectedBySignature()
    {
        await using var sender = await StartSenderAsync();
        await TargetAsync(sender, "gate", Zitadel);
        await using var receiver = await StartReceiverAsync(sender);
        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var arrived = Assert.Single(receiver.Arrived);
        var withoutId = arrived with { Headers = [.. arrived.Headers.Where(h => !h.Key.Equals("webhook-id", StringComparison.OrdinalIgnoreCase))] };

        using var replayed = await receiver.ReplayAsync(withoutId);

        await ProblemAsync(replayed, HttpStatusCode.Unauthorized, "replayed");
    }

    [Fact]
    public async Task RequireActionSignature_ReplayAfterTheToleranceWindow_RejectedAsStale()
    {
        await using var sender = await StartSenderAsync();
        await TargetAsync(sender, "gate", StandardWebhooks);
        await using var receiver = await StartReceiverAsync(sender);
        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        receiver.Clock.Advance(TimeSpan.FromSeconds(301));

        using var replayed = await receiver.ReplayAsync(Assert.Single(receiver.Arrived));

        var problem = await ProblemAsync(replayed, HttpStatusCode.Unauthorized, "timestamp_stale");
        Assert.Contains("301 seconds old", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireActionSignature_SenderClockBehind_RejectedAsStaleAndTheSenderFails()
    {
        await using var sender = await StartSenderAsync();
        await TargetAsync(sender, "gate", Zitadel);
        await using var receiver = await StartReceiverAsync(sender);
        receiver.Clock.Advance(TimeSpan.FromMinutes(10));

        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        await BodyAsync(response, HttpStatusCode.BadRequest, 9);
        Assert.Equal(0, _greeter.Calls);
        Assert.Empty(receiver.Deliveries);
        var rejected = Assert.Single(receiver.Logs.Records, r => r.EventId.Id == 5201);
        Assert.Equal(LogLevel.Warning, rejected.Level);
        Assert.Contains("timestamp_stale", rejected.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Zitadel)]
    [InlineData(StandardWebhooks)]
    public async Task RequireActionSignature_TamperedBody_Rejected(string scheme)
    {
        await using var sender = await StartSenderAsync();
        await TargetAsync(sender, "gate", scheme);
        await using var receiver = await StartReceiverAsync(sender);
        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var tampered = await receiver.ReplayAsync(
            Assert.Single(receiver.Arrived),
            body => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"Ann\"", "\"Bob\"", StringComparison.Ordinal)));

        var problem = await ProblemAsync(tampered, HttpStatusCode.Unauthorized, "signature_mismatch");
        Assert.DoesNotContain(_keys[0], problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Single(receiver.Deliveries);
        Assert.All(receiver.Logs.Records, r => Assert.DoesNotContain(_keys[0], r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ActionResultsError_FromTheReceiver_InterruptsTheSendersFlowWithThatStatus()
    {
        await using var sender = await StartSenderAsync();
        await TargetAsync(sender, "deny", StandardWebhooks);
        await using var receiver = await StartReceiverAsync(sender);

        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        await ErrorAsync(response, HttpStatusCode.Forbidden, 7, ReceiverHost.DenyMessage);
        Assert.Equal(0, _greeter.Calls);
        Assert.Single(receiver.Deliveries);
    }

    [Fact]
    public async Task RequireActionSignature_HandlerFailed_TheSameDeliveryIsAcceptedAgain()
    {
        await using var sender = await StartSenderAsync();
        await TargetAsync(sender, "fail", StandardWebhooks);
        await using var receiver = await StartReceiverAsync(sender);
        receiver.FailuresLeft = 1;
        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");
        await BodyAsync(response, HttpStatusCode.BadRequest, 9);

        using var retried = await receiver.ReplayAsync(Assert.Single(receiver.Arrived));
        using var replayed = await receiver.ReplayAsync(receiver.Arrived[0]);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await ProblemAsync(replayed, HttpStatusCode.Unauthorized, "replayed");
        Assert.Equal(2, receiver.Deliveries.Count);
    }

    [Fact]
    public async Task RequireActionSignature_NamedReceiver_UsesItsOwnKeys()
    {
        await using var sender = await StartSenderAsync();
        var id = await CreateTargetAsync(sender, "other", "other", Zitadel);
        var otherKey = _keys[^1];
        _keys.Clear();
        _keys.Add("the-default-receivers-key");
        await sender.SetExecutionAsync(RequestCondition, id);
        await using var receiver = await StartReceiverAsync(sender, services => services.AddActionReceiver("other", o => o.SigningKeys.Add(otherKey)));

        using var response = await sender.SendAsync(HttpMethod.Post, "/greet", """{"name":"Ann"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("other", Assert.Single(receiver.Deliveries).ReceiverName);
    }

    [Fact]
    public async Task RequireActionSignature_OnControllers_ActionReadsTheDeliveryAndItsBody()
    {
        _keys.Add("a-key");
        await using var receiver = await ReceiverHost.StartAsync(o => o.SigningKeys.Add("a-key"), controllers: true);
        var body = """{"fullMethod":"/demo.v1.GreeterService/SayHello"}"""u8.ToArray();

        using var response = await SendSignedAsync(receiver, "/controller/hooks/gate", body, SignatureScheme.StandardWebhooks, "a-key", receiver.Clock.GetUtcNow(), "delivery-1");
        using var unsigned = await new HttpClient { BaseAddress = receiver.BaseAddress }.PostAsync("/controller/hooks/gate", new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"fullMethod":"/demo.v1.GreeterService/SayHello","deliveryId":"delivery-1"}""", await response.Content.ReadAsStringAsync());
        await ProblemAsync(unsigned, HttpStatusCode.Unauthorized, "signature_missing");
    }

    [Theory]
    [InlineData("", "services.AddActionReceiver(o => ")]
    [InlineData("missing", "services.AddActionReceiver(\"missing\", o => ")]
    public async Task RequireActionSignature_ReceiverNotRegistered_FailsWhenBuiltNamingTheCall(string name, string call)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        await using (app)
        {
            app.MapPost("/hooks/x", () => Results.Ok()).RequireActionSignature(name);

            var error = Assert.Throws<InvalidOperationException>(() => ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).ToList());

            Assert.Contains(call, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RequireActionSignature_Unsigned_RejectedAsMissing()
    {
        _keys.Add("a-key");
        await using var receiver = await StartReceiverAsync();

        using var client = new HttpClient { BaseAddress = receiver.BaseAddress };
        using var response = await client.PostAsync("/hooks/gate", new StringContent("{}", Encoding.UTF8, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized, "signature_missing");
        Assert.Contains("ZITADEL-Signature", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireActionSignature_BodyOverTheLimit_Answers413()
    {
        _keys.Add("a-key");
        await using var receiver = await StartReceiverAsync(configure: o => o.MaxBodyBytes = 16);

        using var client = new HttpClient { BaseAddress = receiver.BaseAddress };
        using var response = await client.PostAsync("/hooks/gate", new StringContent("""{"name":"longer than sixteen bytes"}""", Encoding.UTF8, "application/json"));

        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.Empty(receiver.Deliveries);
    }

    [Fact]
    public async Task RequireActionSignature_SignedBodyNotJson_Answers400()
    {
        _keys.Add("a-key");
        await using var receiver = await StartReceiverAsync();
        var body = "not json"u8.ToArray();

        using var response = await SendSignedAsync(receiver, "/hooks/gate", body, SignatureScheme.Zitadel, "a-key", receiver.Clock.GetUtcNow());

        await ProblemAsync(response, HttpStatusCode.BadRequest, "payload_invalid");
    }

    [Fact]
    public async Task RequireActionSignature_SchemeRestricted_RejectsTheOtherScheme()
    {
        _keys.Add("a-key");
        await using var receiver = await StartReceiverAsync(configure: o => o.Schemes = AcceptedSignatureSchemes.StandardWebhooks);

        using var response = await SendSignedAsync(receiver, "/hooks/gate", "{}"u8.ToArray(), SignatureScheme.Zitadel, "a-key", receiver.Clock.GetUtcNow());

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized, "signature_missing");
        Assert.Contains("webhook-signature", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireActionSignature_TimestampAhead_RejectedAsFuture()
    {
        _keys.Add("a-key");
        await using var receiver = await StartReceiverAsync();

        using var response = await SendSignedAsync(receiver, "/hooks/gate", "{}"u8.ToArray(), SignatureScheme.Zitadel, "a-key", receiver.Clock.GetUtcNow().AddMinutes(6));

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "timestamp_future");
    }

    [Fact]
    public async Task StartAsync_NoSigningKey_FailsNamingTheFix()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReceiverHost.StartAsync(_ => { }));

        Assert.Contains("The default action receiver has no signing key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SignatureScheme.Zitadel, WebhookSigner.WebhookIdHeader)]
    [InlineData(SignatureScheme.StandardWebhooks, WebhookSigner.WebhookIdHeader)]
    [InlineData(SignatureScheme.StandardWebhooks, WebhookSigner.WebhookTimestampHeader)]
    public async Task HandleAsync_HeaderThatMustComeOnceRepeated_RejectedAsMalformed(SignatureScheme scheme, string header)
    {
        var context = SignedContext(scheme, "{}"u8.ToArray());
        context.Request.Headers.Append(header, context.Request.Headers[header]);

        var delivery = await HandleAsync(DirectReceiver(), context);

        Assert.Null(delivery);
        var problem = Problem(context, StatusCodes.Status401Unauthorized, "signature_malformed");
        Assert.Contains(header, (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_ZitadelWithRepeatedWebhookTimestamp_Accepted()
    {
        var context = SignedContext(SignatureScheme.Zitadel, "{}"u8.ToArray());
        context.Request.Headers.Append(WebhookSigner.WebhookTimestampHeader, new StringValues(["1", "2"]));

        Assert.NotNull(await HandleAsync(DirectReceiver(), context));
    }

    [Theory]
    [InlineData(SignatureScheme.Zitadel)]
    [InlineData(SignatureScheme.StandardWebhooks)]
    public async Task HandleAsync_SignatureHeaderSplitOverLines_ReadAsOneHeader(SignatureScheme scheme)
    {
        var context = SignedContext(scheme, "{}"u8.ToArray());
        var headers = context.Request.Headers;
        if (scheme == SignatureScheme.Zitadel)
        {
            // "t=…,v1=…" on two lines, as a proxy may fold it.
            var parts = headers[WebhookSigner.ZitadelSignatureHeader].ToString().Split(',', 2);
            headers[WebhookSigner.ZitadelSignatureHeader] = new StringValues(parts);
        }
        else
        {
            // A signature with another key on a line of its own, then the valid one.
            headers[WebhookSigner.WebhookSignatureHeader] = new StringValues(["v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", headers[WebhookSigner.WebhookSignatureHeader].ToString()]);
        }

        var delivery = await HandleAsync(DirectReceiver(), context);

        Assert.NotNull(delivery);
        Assert.Equal(scheme, delivery.Scheme);
    }

    [Fact]
    public async Task HandleAsync_SignatureNotNameValuePairs_RejectedAsMalformed()
    {
        var context = SignedContext(SignatureScheme.Zitadel, "{}"u8.ToArray());
        context.Request.Headers[WebhookSigner.ZitadelSignatureHeader] = "garbage";

        Assert.Null(await HandleAsync(DirectReceiver(), context));
        Problem(context, StatusCodes.Status401Unauthorized, "signature_malformed");
    }

    [Fact]
    public async Task HandleAsync_OnlyZitadelAccepted_VerifiesAStandardWebhooksRequestAsZitadel()
    {
        var context = SignedContext(SignatureScheme.StandardWebhooks, "{}"u8.ToArray());

        var delivery = await HandleAsync(DirectReceiver(configure: o => o.Schemes = AcceptedSignatureSchemes.Zitadel), context);

        Assert.Null(delivery);
        var problem = Problem(context, StatusCodes.Status401Unauthorized, "signature_missing");
        Assert.Contains(WebhookSigner.ZitadelSignatureHeader, (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, 0, true)]
    [InlineData(false, 0, true)]
    [InlineData(true, -1, false)]
    [InlineData(false, -1, false)]
    public async Task HandleAsync_BodyAroundTheLimit_AcceptedUpToTheLimitOnly(bool lengthKnown, int slack, bool accepted)
    {
        var body = """{"name":"Ann"}"""u8.ToArray();
        var context = SignedContext(SignatureScheme.StandardWebhooks, body);
        if (!lengthKnown)
        {
            context.Request.ContentLength = null;
        }

        var delivery = await HandleAsync(DirectReceiver(configure: o => o.MaxBodyBytes = body.Length + slack), context);

        if (accepted)
        {
            Assert.Equal(body, delivery!.Body.ToArray());
        }
        else
        {
            Assert.Null(delivery);
            var problem = Problem(context, StatusCodes.Status413PayloadTooLarge, "body_too_large");
            Assert.Contains("MaxBodyBytes", (string?)problem["detail"], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("{}{}")]
    [InlineData("{} 1")]
    public async Task HandleAsync_SignedBodyWithASecondJsonValue_RejectedAsPayloadInvalid(string body)
    {
        var context = SignedContext(SignatureScheme.StandardWebhooks, Encoding.UTF8.GetBytes(body));

        Assert.Null(await HandleAsync(DirectReceiver(), context));
        Problem(context, StatusCodes.Status400BadRequest, "payload_invalid");
    }

    [Fact]
    public async Task HandleAsync_TwoReceiversSharingACache_EachAcceptsTheSameDeliveryOnce()
    {
        var replays = new InMemoryActionReplayCache(new FakeTimeProvider(ApiHost.Start), NullLogger<InMemoryActionReplayCache>.Instance);
        var first = DirectReceiver(replays, name: "first");
        var second = DirectReceiver(replays, name: "second");

        Assert.NotNull(await HandleAsync(first, SignedContext(SignatureScheme.Zitadel, "{}"u8.ToArray())));
        Assert.NotNull(await HandleAsync(second, SignedContext(SignatureScheme.Zitadel, "{}"u8.ToArray())));
        var replayed = SignedContext(SignatureScheme.Zitadel, "{}"u8.ToArray());
        Assert.Null(await HandleAsync(first, replayed));
        Problem(replayed, StatusCodes.Status401Unauthorized, "replayed");
    }

    [Fact]
    public async Task HandleAsync_ZitadelSignatureReusedUnderANewId_RejectedAndOnlyTheNewIdIsForgotten()
    {
        var receiver = DirectReceiver();
        var body = "{}"u8.ToArray();
        Assert.NotNull(await HandleAsync(receiver, SignedContext(SignatureScheme.Zitadel, body, deliveryId: "d1")));

        var reused = SignedContext(SignatureScheme.Zitadel, body, deliveryId: "d2");
        var reusedAgain = SignedContext(SignatureScheme.Zitadel, body, deliveryId: "d3");
        var genuine = SignedContext(SignatureScheme.Zitadel, body, ApiHost.Start.AddSeconds(1), "d2");

        Assert.Null(await HandleAsync(receiver, reused));
        Problem(reused, StatusCodes.Status401Unauthorized, "replayed");
        Assert.Null(await HandleAsync(receiver, reusedAgain));
        Problem(reusedAgain, StatusCodes.Status401Unauthorized, "replayed");
        Assert.Equal("d2", (await HandleAsync(receiver, genuine))?.Id);
    }

    [Fact]
    public async Task HandleAsync_StandardWebhooksWithAStrayZitadelHeader_KeyedByItsIdOnly()
    {
        var receiver = DirectReceiver();
        var first = SignedContext(SignatureScheme.StandardWebhooks, "{}"u8.ToArray(), deliveryId: "d1");
        var second = SignedContext(SignatureScheme.StandardWebhooks, "{}"u8.ToArray(), deliveryId: "d2");
        first.Request.Headers[WebhookSigner.ZitadelSignatureHeader] = "t=1,v1=ab";
        second.Request.Headers[WebhookSigner.ZitadelSignatureHeader] = "t=1,v1=ab";

        Assert.NotNull(await HandleAsync(receiver, first));
        Assert.NotNull(await HandleAsync(receiver, second));
    }

    [Theory]
    [InlineData(199, true)]
    [InlineData(200, false)]
    [InlineData(299, false)]
    [InlineData(300, true)]
    public async Task HandleAsync_HandlerAnswered_TheRetryIsAcceptedUnlessItSucceeded(int status, bool retryAccepted)
    {
        var receiver = DirectReceiver();
        Assert.NotNull(await HandleAsync(receiver, SignedContext(SignatureScheme.StandardWebhooks, "{}"u8.ToArray()), status));

        var retry = SignedContext(SignatureScheme.StandardWebhooks, "{}"u8.ToArray());
        var delivery = await HandleAsync(receiver, retry);

        Assert.Equal(retryAccepted, delivery is not null);
    }

    [Fact]
    public async Task HandleAsync_HandlerRan_ItReadThePayloadAndTheRequestBodyIsRestoredAfter()
    {
        var context = SignedContext(SignatureScheme.StandardWebhooks, """{"name":"Ann"}"""u8.ToArray());
        var original = context.Request.Body;
        string? read = null;

        await DirectReceiver().HandleAsync(context, async c =>
        {
            using var reader = new StreamReader(c.Request.Body);
            read = await reader.ReadToEndAsync();
        });

        Assert.Equal("""{"name":"Ann"}""", read);
        Assert.Same(original, context.Request.Body);
    }

    [Fact]
    public async Task HandleAsync_AcceptedAndRejected_LogsTheDeliveryIdAndTheReason()
    {
        using var logs = new RecordingLoggerProvider();
        var receiver = DirectReceiver(logger: logs.CreateLogger(nameof(ActionReceiver)));
        Assert.NotNull(await HandleAsync(receiver, SignedContext(SignatureScheme.StandardWebhooks, "{}"u8.ToArray(), deliveryId: "d-logged")));
        var unsigned = SignedContext(SignatureScheme.StandardWebhooks, "{}"u8.ToArray());
        unsigned.Request.Headers.Remove(WebhookSigner.WebhookSignatureHeader);

        Assert.Null(await HandleAsync(receiver, unsigned));

        var accepted = Assert.Single(logs.Records, r => r.EventId.Id == 5204);
        Assert.Equal(LogLevel.Debug, accepted.Level);
        Assert.Contains("d-logged", accepted.Message, StringComparison.Ordinal);
        Assert.Contains("/hooks/direct", accepted.Message, StringComparison.Ordinal);
        var detail = Assert.Single(logs.Records, r => r.EventId.Id == 5202);
        Assert.Equal(LogLevel.Debug, detail.Level);
        Assert.Contains((string)Problem(unsigned, StatusCodes.Status401Unauthorized, "signature_missing")["detail"]!, detail.Message, StringComparison.Ordinal);
        Assert.Contains("signature_missing", Assert.Single(logs.Records, r => r.EventId.Id == 5201).Message, StringComparison.Ordinal);
    }

    private Task<ApiHost> StartSenderAsync() => ApiHost.StartAsync(map: _greeter.Map);

    /// <summary>
    /// Starts the receiver with the keys in <see cref="_keys"/> (options are read when the host starts) and points the targets
    /// created so far at it.
    /// </summary>
    private async Task<ReceiverHost> StartReceiverAsync(ApiHost? sender = null, Action<IServiceCollection>? services = null, Action<ActionReceiverOptions>? configure = null)
    {
        var receiver = await ReceiverHost.StartAsync(
            o =>
            {
                foreach (var key in _keys)
                {
                    o.SigningKeys.Add(key);
                }

                configure?.Invoke(o);
            },
            services);
        foreach (var (id, hook) in _targets)
        {
            using var response = await sender!.SendAsync(HttpMethod.Patch, "/v2beta/actions/targets/" + id, $$"""{"endpoint":"{{receiver.Url("/hooks/" + hook)}}"}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        return receiver;
    }

    private async Task<string> TargetAsync(ApiHost sender, string hook, string scheme)
    {
        var id = await CreateTargetAsync(sender, hook, hook, scheme);
        await sender.SetExecutionAsync(RequestCondition, id);
        return id;
    }

    /// <summary>Creates a target whose endpoint is set to the receiver's <c>/hooks/&lt;hook&gt;</c> once it has started; keeps its key.</summary>
    private async Task<string> CreateTargetAsync(ApiHost sender, string name, string hook, string scheme)
    {
        // Never called: the endpoint is replaced before any delivery, and it is loopback all the same.
        const string NotYet = "http://127.0.0.1:9/not-started";
        var body = $$"""{"name":"{{name}}","endpoint":"{{NotYet}}","timeout":"10s","restWebhook":{"interruptOnError":true},"signatureScheme":"{{scheme}}"}""";
        using var response = await sender.SendAsync(HttpMethod.Post, "/v2beta/actions/targets", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var json = JsonNode.Parse(text)!;
        var id = (string)json["id"]!;
        _keys.Add((string)json["signingKey"]!);
        _targets.Add((id, hook));
        return id;
    }

    private static async Task<HttpResponseMessage> SendSignedAsync(ReceiverHost receiver, string path, byte[] body, SignatureScheme scheme, string key, DateTimeOffset timestamp, string? deliveryId = null)
    {
        using var client = new HttpClient { BaseAddress = receiver.BaseAddress };
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        foreach (var header in WebhookSigner.CreateHeaders(scheme, key, body, timestamp, deliveryId ?? Guid.NewGuid().ToString()))
        {
            message.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return await client.SendAsync(message);
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string failure)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(failure, (string?)problem["failure"]);
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
        return problem;
    }

    /// <summary>A receiver called directly, without a host: its key is <see cref="DirectKey"/>, its clock stands at <see cref="ApiHost.Start"/>.</summary>
    private static ActionReceiver DirectReceiver(IActionReplayCache? replays = null, Action<ActionReceiverOptions>? configure = null, string name = "direct", ILogger? logger = null)
    {
        var options = new ActionReceiverOptions();
        options.SigningKeys.Add(DirectKey);
        configure?.Invoke(options);
        var clock = new FakeTimeProvider(ApiHost.Start);
        replays ??= new InMemoryActionReplayCache(clock, NullLogger<InMemoryActionReplayCache>.Instance);
        return new ActionReceiver(name, options, clock, replays, Substitute.For<IHttpClientFactory>(), logger ?? NullLogger.Instance);
    }

    private static DefaultHttpContext SignedContext(SignatureScheme scheme, byte[] body, DateTimeOffset? timestamp = null, string deliveryId = "delivery-1")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = "/hooks/direct";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        context.Response.Body = new MemoryStream();
        context.Request.Headers[WebhookSigner.WebhookIdHeader] = deliveryId;
        foreach (var header in WebhookSigner.CreateHeaders(scheme, DirectKey, body, timestamp ?? ApiHost.Start, deliveryId))
        {
            context.Request.Headers[header.Key] = header.Value;
        }

        return context;
    }

    /// <summary>Runs <paramref name="receiver"/> on <paramref name="context"/>; returns the delivery its handler (answering <paramref name="status"/>) was given, or null when it did not run.</summary>
    private static async Task<ActionDelivery?> HandleAsync(ActionReceiver receiver, HttpContext context, int status = StatusCodes.Status200OK)
    {
        ActionDelivery? delivery = null;
        await receiver.HandleAsync(context, c =>
        {
            delivery = c.Features.Get<ActionDelivery>();
            c.Response.StatusCode = status;
            return Task.CompletedTask;
        });
        return delivery;
    }

    private static JsonObject Problem(HttpContext context, int status, string failure)
    {
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/problem+json; charset=utf-8", context.Response.ContentType);
        var problem = JsonNode.Parse(((MemoryStream)context.Response.Body).ToArray())!.AsObject();
        Assert.Equal(failure, (string?)problem["failure"]);
        Assert.Equal(status, (int)problem["status"]!);
        return problem;
    }
}
