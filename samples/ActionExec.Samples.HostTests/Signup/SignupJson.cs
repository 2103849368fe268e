using System.Text.Json.Serialization;

namespace ActionExec.Samples.HostTests.Signup;

/// <summary>The host's messages as JSON, source-generated: ActionExec sends them to targets and reads the answers back.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SignupRequest))]
[JsonSerializable(typeof(CustomerSignedUp))]
public sealed partial class SignupJson : JsonSerializerContext;
