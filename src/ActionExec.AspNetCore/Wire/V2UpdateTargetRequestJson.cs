using System.Text.Json.Serialization;
using ActionExec.Errors;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The body of <c>POST /v2/actions/targets/{id}</c> (ZITADEL's GA <c>UpdateTargetRequest</c>): the fields of the create body,
/// all optional, plus <c>expirationSigningKey</c> (<c>"0s"</c> replaces the signing key at once) and the <c>id</c> of the path,
/// which the body may repeat.
/// </summary>
internal sealed record V2UpdateTargetRequestJson : V2CreateTargetRequestJson
{
    /// <summary>The target id; when given it must be the id of the path.</summary>
    public string? Id { get; init; }

    /// <summary>How long the old signing key stays valid after a new one is made; only <c>"0s"</c> (at once) is supported.</summary>
    [JsonConverter(typeof(ProtoDurationJsonConverter))]
    public TimeSpan? ExpirationSigningKey { get; init; }

    /// <summary>The model change, adding the violations of the wire shape; an unspecified payload type keeps the stored one.</summary>
    internal TargetUpdate ToUpdate(string pathId, ViolationList violations)
    {
        if (Id is not null && !string.Equals(Id, pathId, StringComparison.Ordinal))
        {
            violations.Add("id", $"The id '{Conditions.ConditionRules.Shorten(Id)}' differs from the id '{Conditions.ConditionRules.Shorten(pathId)}' of the path; leave it out or give the same id.");
        }

        if (ExpirationSigningKey is { } expiration && expiration != TimeSpan.Zero)
        {
            violations.Add(
                "expirationSigningKey",
                $"The old signing key can only expire at once; give \"0s\" to replace the key, or leave expirationSigningKey out to keep it (given: \"{ProtoJson.FormatDuration(expiration)}\").");
        }

        var update = ToV2Beta().ToUpdate(violations);
        return update with { PayloadType = V2Wire.ReadPayloadType(PayloadType, violations) };
    }
}
