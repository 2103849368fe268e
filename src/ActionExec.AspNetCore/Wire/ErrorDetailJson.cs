using System.Text.Json.Serialization;
using ActionExec.Errors;

namespace ActionExec.AspNetCore.Wire;

/// <summary>One detail of an error body, a <c>google.protobuf.Any</c>; the library writes <c>google.rpc.BadRequest</c> details.</summary>
internal sealed record ErrorDetailJson
{
    /// <summary>The type URL of <c>google.rpc.BadRequest</c>.</summary>
    public const string BadRequestType = "type.googleapis.com/google.rpc.BadRequest";

    /// <summary>The type URL of the detail, such as <see cref="BadRequestType"/>.</summary>
    [JsonPropertyName("@type")]
    public string? Type { get; init; }

    /// <summary>The field violations of a <c>google.rpc.BadRequest</c>.</summary>
    public IReadOnlyList<FieldViolation>? FieldViolations { get; init; }
}
