using System.Diagnostics.CodeAnalysis;
using ActionExec.Errors;

namespace ActionExec.Conditions;

/// <summary>
/// When something runs: a kind (request, response, function, event) and a scope (method, service, all;
/// function name; event, group, all), identified by a canonical id such as
/// <c>request/pkg.v1.Service/Method</c> or <c>event/user.human.*</c>. Immutable; equality is the ordinal
/// equality of <see cref="Id"/>, and <see cref="Parse(string)"/> of any <see cref="Id"/> returns an equal condition.
/// </summary>
/// <remarks>
/// Values are normalised on input: a method without its leading <c>/</c> gets it back, and a group given as
/// <c>user.human.*</c> is stored as <c>user.human</c> (the id is then <c>event/user.human.*</c>, never
/// <c>.*.*</c>). The length limit of 1000 characters applies to the normalised value.
/// </remarks>
[SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Event and Function are the names of the model.")]
public sealed class Condition : IEquatable<Condition>
{
    private Condition(ConditionKind kind, ConditionScope scope, string? value)
    {
        Kind = kind;
        Scope = scope;
        Value = value;
        Id = BuildId(kind, scope, value);
    }

    /// <summary>Every request (id <c>request</c>).</summary>
    public static Condition AllRequests { get; } = new(ConditionKind.Request, ConditionScope.All, null);

    /// <summary>Every response (id <c>response</c>).</summary>
    public static Condition AllResponses { get; } = new(ConditionKind.Response, ConditionScope.All, null);

    /// <summary>Every event (id <c>event</c>).</summary>
    public static Condition AllEvents { get; } = new(ConditionKind.Event, ConditionScope.All, null);

    /// <summary>The kind of condition.</summary>
    public ConditionKind Kind { get; }

    /// <summary>The scope of the condition.</summary>
    public ConditionScope Scope { get; }

    /// <summary>
    /// The normalised value: the full method (<c>/pkg.v1.Service/Method</c>), the service, the function name,
    /// the event type or the group (without <c>.*</c>); <see langword="null"/> for <see cref="ConditionScope.All"/>.
    /// </summary>
    public string? Value { get; }

    /// <summary>The canonical id, for example <c>request/pkg.v1.Service/Method</c>, <c>function/preuserinfo</c> or <c>event</c>.</summary>
    public string Id { get; }

    /// <summary>The service of a method or service condition (<c>pkg.v1.Service</c>); otherwise <see langword="null"/>.</summary>
    public string? Service => Scope switch
    {
        ConditionScope.Service => Value,
        ConditionScope.Method => Value![1..Value!.IndexOf('/', 1)],
        _ => null,
    };

    /// <summary>A request condition for one full method.</summary>
    /// <param name="method">The gRPC full method, such as <c>/pkg.v1.Service/Method</c>; the leading <c>/</c> may be omitted.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ActionExecException">The method is invalid (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static Condition RequestMethod(string method) => Create(ConditionKind.Request, ConditionScope.Method, method);

    /// <summary>A request condition for every method of a service.</summary>
    /// <param name="service">The service, such as <c>pkg.v1.Service</c>.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ActionExecException">The service is invalid (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static Condition RequestService(string service) => Create(ConditionKind.Request, ConditionScope.Service, service);

    /// <summary>A response condition for one full method.</summary>
    /// <param name="method">The gRPC full method, such as <c>/pkg.v1.Service/Method</c>; the leading <c>/</c> may be omitted.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ActionExecException">The method is invalid (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static Condition ResponseMethod(string method) => Create(ConditionKind.Response, ConditionScope.Method, method);

    /// <summary>A response condition for every method of a service.</summary>
    /// <param name="service">The service, such as <c>pkg.v1.Service</c>.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ActionExecException">The service is invalid (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static Condition ResponseService(string service) => Create(ConditionKind.Response, ConditionScope.Service, service);

    /// <summary>A function condition.</summary>
    /// <param name="name">The function name, such as <c>preuserinfo</c>.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ActionExecException">The name is invalid (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static Condition Function(string name) => Create(ConditionKind.Function, ConditionScope.Function, name);

    /// <summary>An event condition for one event type.</summary>
    /// <param name="eventType">The event type, such as <c>user.human.added</c>.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ActionExecException">The event type is invalid (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static Condition Event(string eventType) => Create(ConditionKind.Event, ConditionScope.Event, eventType);

    /// <summary>An event condition for every event type below a dotted group.</summary>
    /// <param name="group">The group, such as <c>user.human</c> or <c>user.human.*</c>.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ActionExecException">The group is invalid (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static Condition EventGroup(string group) => Create(ConditionKind.Event, ConditionScope.Group, group);

    /// <summary>Creates a condition of any kind and scope.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="scope">A scope that applies to <paramref name="kind"/>.</param>
    /// <param name="value">The value; ignored (and may be null) for <see cref="ConditionScope.All"/>.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ActionExecException">The scope does not apply to the kind, or the value is invalid (<see cref="ActionExecErrorCode.InvalidArgument"/>); every violation is listed.</exception>
    public static Condition Create(ConditionKind kind, ConditionScope scope, string? value)
    {
        var violations = new ViolationList();
        var field = Enum.IsDefined(kind) && Enum.IsDefined(scope)
            ? "condition." + ConditionRules.Name(kind) + "." + FieldName(scope)
            : "condition";
        var condition = TryCreate(kind, scope, value, field, violations);
        violations.ThrowIfAny();
        return condition!;
    }

    /// <summary>Parses a canonical id, such as <c>request/pkg.v1.Service/Method</c>, <c>event/user.human.*</c> or <c>response</c>.</summary>
    /// <param name="id">The canonical id.</param>
    /// <returns>The condition; equal to the one whose <see cref="Id"/> is <paramref name="id"/>.</returns>
    /// <exception cref="ActionExecException">The id is not a valid canonical id (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static Condition Parse(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var violations = new ViolationList();
        var condition = Parse(id, "condition", violations);
        violations.ThrowIfAny();
        return condition!;
    }

    /// <summary>Tries to parse a canonical id.</summary>
    /// <param name="id">The canonical id.</param>
    /// <param name="condition">The condition, when the id is valid.</param>
    /// <returns><see langword="true"/> when <paramref name="id"/> is a valid canonical id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? id, [NotNullWhen(true)] out Condition? condition)
    {
        condition = id is null ? null : Parse(id, "condition", new ViolationList());
        return condition is not null;
    }

    /// <inheritdoc />
    public bool Equals(Condition? other) => other is not null && string.Equals(Id, other.Id, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Condition);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);

    /// <summary>Returns the canonical id.</summary>
    /// <returns><see cref="Id"/>.</returns>
    public override string ToString() => Id;

    /// <summary>Compares two conditions by canonical id.</summary>
    /// <param name="left">The first condition.</param>
    /// <param name="right">The second condition.</param>
    /// <returns><see langword="true"/> when both are null or have the same id.</returns>
    public static bool operator ==(Condition? left, Condition? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two conditions by canonical id.</summary>
    /// <param name="left">The first condition.</param>
    /// <param name="right">The second condition.</param>
    /// <returns><see langword="true"/> when the ids differ.</returns>
    public static bool operator !=(Condition? left, Condition? right) => !(left == right);

    /// <summary>Validates and creates a condition, adding every violation under <paramref name="field"/>.</summary>
    internal static Condition? TryCreate(ConditionKind kind, ConditionScope scope, string? value, string field, ViolationList violations)
    {
        if (ConditionRules.IsScopeOf(kind, scope) && scope == ConditionScope.All)
        {
            return kind switch
            {
                ConditionKind.Request => AllRequests,
                ConditionKind.Response => AllResponses,
                _ => AllEvents,
            };
        }

        var before = violations.Count;
        var normalized = ConditionRules.Normalize(kind, scope, value, field, violations);
        return violations.Count == before ? new Condition(kind, scope, normalized) : null;
    }

    /// <summary>The JSON property name of a scope's value (<c>method</c>, <c>service</c>, <c>name</c>, <c>event</c>, <c>group</c>, <c>all</c>).</summary>
    internal static string FieldName(ConditionScope scope) => scope switch
    {
        ConditionScope.Method => "method",
        ConditionScope.Service => "service",
        ConditionScope.Function => "name",
        ConditionScope.Event => "event",
        ConditionScope.Group => "group",
        _ => "all",
    };

    internal static Condition? Parse(string id, string field, ViolationList violations)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        var head = slash < 0 ? id : id[..slash];
        var rest = slash < 0 ? null : id[(slash + 1)..];
        var before = violations.Count;
        Condition? condition = (head, rest) switch
        {
            ("request", null) => AllRequests,
            ("response", null) => AllResponses,
            ("event", null) => AllEvents,
            ("request" or "response", _) => TryCreate(
                string.Equals(head, "request", StringComparison.Ordinal) ? ConditionKind.Request : ConditionKind.Response,
                rest.Contains('/', StringComparison.Ordinal) ? ConditionScope.Method : ConditionScope.Service,
                rest.Contains('/', StringComparison.Ordinal) ? "/" + rest : rest,
                field,
                violations),
            ("function", _) => TryCreate(ConditionKind.Function, ConditionScope.Function, rest, field, violations),
            ("event", _) => rest.EndsWith(ConditionRules.GroupSuffix, StringComparison.Ordinal)
                ? TryCreate(ConditionKind.Event, ConditionScope.Group, rest, field, violations)
                : TryCreate(ConditionKind.Event, ConditionScope.Event, rest, field, violations),
            _ => null,
        };

        if (condition is null && violations.Count == before)
        {
            violations.Add(field, $"'{ConditionRules.Shorten(id)}' is not a condition id; valid ids are 'request', 'request/pkg.v1.Service', 'request/pkg.v1.Service/Method' (likewise 'response…'), 'function/<name>', 'event', 'event/<group>.*' and 'event/<event type>'.");
        }

        // A parsed id must be canonical: 'request//x' or a method id with extra slashes would not round-trip.
        if (condition is not null && !string.Equals(condition.Id, id, StringComparison.Ordinal))
        {
            violations.Add(field, $"'{ConditionRules.Shorten(id)}' is not canonical; the canonical id of that condition is '{ConditionRules.Shorten(condition.Id)}'.");
            return null;
        }

        return condition;
    }

    private static string BuildId(ConditionKind kind, ConditionScope scope, string? value) => scope switch
    {
        ConditionScope.All => ConditionRules.Name(kind),
        ConditionScope.Method => ConditionRules.Name(kind) + value,
        ConditionScope.Group => "event/" + value + ConditionRules.GroupSuffix,
        _ => ConditionRules.Name(kind) + "/" + value,
    };
}
