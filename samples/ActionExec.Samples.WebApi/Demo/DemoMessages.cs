using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ActionExec.Samples.WebApi.Demo;

/// <summary><c>demo.v1.SayHelloRequest</c> and <c>demo.v1.SayGoodbyeRequest</c>: <c>{"name": "Ada"}</c>.</summary>
internal sealed record GreetingRequest(string? Name);

/// <summary>The answer of both greeter methods: <c>{"message": "Hello, Ada"}</c>.</summary>
internal sealed record GreetingReply(string Message);

/// <summary><c>demo.v1.IssueTokenRequest</c>: <c>{"userId": "u1"}</c>.</summary>
internal sealed record IssueTokenRequest(string? UserId);

/// <summary>The answer of <c>IssueToken</c>: the user and the claims the <c>preaccesstoken</c> function flow merged.</summary>
internal sealed record IssueTokenReply(string UserId, JsonObject Claims);

/// <summary>The <c>event_payload</c> of <c>demo.greeting.sent</c>.</summary>
internal sealed record GreetingSent(string Name);

/// <summary>The <c>event_payload</c> of <c>demo.token.issued</c>.</summary>
internal sealed record TokenIssued(string UserId);

/// <summary>The demo's messages in proto-JSON style (lowerCamelCase), source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GreetingRequest))]
[JsonSerializable(typeof(GreetingReply))]
[JsonSerializable(typeof(IssueTokenRequest))]
[JsonSerializable(typeof(IssueTokenReply))]
[JsonSerializable(typeof(GreetingSent))]
[JsonSerializable(typeof(TokenIssued))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
