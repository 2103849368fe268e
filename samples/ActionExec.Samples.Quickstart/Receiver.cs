using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ActionExec.Signatures;
using ActionExec.Targets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActionExec.Samples.Quickstart;

/// <summary>The receiving side of the targets: what a team's webhook service would be.</summary>
internal sealed class Receiver
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public string? EventKey { get; set; }

    public TaskCompletionSource<string> EventVerified { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Map(WebApplication app)
    {
        // A webhook: its answer body is ignored.
        app.MapPost("/audit", () =>
        {
            Calls.Enqueue("audit");
            return Results.Ok();
        });

        // A call target: its JSON answer replaces the request.
        app.MapPost("/enrich", async (HttpRequest http) =>
        {
            Calls.Enqueue("enrich");
            var payload = await JsonNode.ParseAsync(http.Body);
            // A flow sends the message as "request"; the test console sends its synthetic request as "body".
            var request = (payload!["request"] ?? payload["body"])!.AsObject();
            request["name"] = request["name"]!.GetValue<string>().ToUpperInvariant();
            request["enrichedBy"] = "enrich";
            return Results.Text(request.ToJsonString(), "application/json");
        });

        // A policy check that refuses: a forwarded 403 reaches the host with this status and message.
        app.MapPost("/gatekeeper", () =>
        {
            Calls.Enqueue("gatekeeper");
            return Results.Text("""{"forwardedStatusCode": 403, "forwardedErrorMessage": "tokens are not issued on Sundays"}""", "application/json");
        });

        // The event receiver checks the signature over the exact bytes it got.
        app.MapPost("/events", async (HttpRequest http) =>
        {
            using var body = new MemoryStream();
            await http.Body.CopyToAsync(body);
            var verifier = new WebhookSignatureVerifier(new WebhookVerificationOptions());
            var ok = verifier.TryVerify(SignatureScheme.Zitadel, name => http.Headers[name].ToString(), body.ToArray(), [EventKey!], out var failure);
            var eventType = JsonNode.Parse(body.ToArray())!["event_type"]!.GetValue<string>();
            EventVerified.TrySetResult(ok ? $"{eventType}, ZITADEL-Signature verified, webhook-id {http.Headers["webhook-id"]}" : "signature check FAILED: " + failure);
            return ok ? Results.Ok() : Results.Unauthorized();
        });
    }
}
