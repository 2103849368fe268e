using ActionExec.Conditions;

namespace ActionExec.Benchmarks.Matching;

/// <summary>
/// A generated tenant of a given size: realistic gRPC methods, services, functions, event types and groups,
/// in a fixed pseudo-random order, always including the conditions the lookups of the benchmarks need.
/// </summary>
internal sealed class BenchmarkTenant
{
    /// <summary>A method that is configured exactly.</summary>
    public const string ExactMethod = "/zitadel.user.v2.UserService/GetUser";

    /// <summary>A method that is not configured, of a service that is.</summary>
    public const string ServiceMethod = "/zitadel.user.v2.UserService/ListUsers";

    /// <summary>A method of a service that is not configured: only <c>all</c> requests applies.</summary>
    public const string OtherMethod = "/zitadel.admin.v1.AdminService/ListIAMMembers";

    /// <summary>An event with four segments whose best match is the two-segment group <c>org.member</c>.</summary>
    public const string GroupedEvent = "org.member.role.changed";

    /// <summary>An event type that is configured exactly.</summary>
    public const string ExactEvent = "org.member.added";

    private static readonly string[] Orgs = ["acme", "contoso", "fabrikam", "initech", "globex", "umbrella", "hooli", "stark", "wayne", "tyrell"];
    private static readonly string[] Areas = ["identity", "billing", "catalog", "orders", "shipping", "inventory", "payments", "reporting", "search", "notify", "audit", "admin", "auth", "storage", "media", "pricing", "review", "support", "tenant", "policy"];
    private static readonly string[] Nouns = ["User", "Org", "Project", "Session", "Key", "Target", "Execution", "Grant", "Member", "Policy", "Domain", "Application"];
    private static readonly string[] Verbs = ["Get", "List", "Create", "Update", "Delete", "Set", "Remove", "Add"];
    private static readonly string[] Aggregates = ["user", "project", "instance", "session", "key", "policy", "target", "execution", "idp", "app", "grant", "domain", "quota", "feature", "milestone", "restriction", "limits", "device", "auth", "action"];
    private static readonly string[] Subjects = ["human", "machine", "member", "grant", "role", "domain", "app", "token", "secret", "metadata", "email", "phone", "password", "avatar", "idp", "link", "otp", "passkey", "u2f", "lockout"];
    private static readonly string[] Actions = ["added", "changed", "removed", "deactivated", "reactivated", "locked", "unlocked", "verified", "checked", "failed", "succeeded", "set", "reset", "expired", "revoked", "created", "updated", "deleted", "sent", "skipped"];

    private BenchmarkTenant(Condition[] conditions) => Conditions = conditions;

    /// <summary>The conditions, in the order the matchers are built from.</summary>
    public Condition[] Conditions { get; }

    /// <summary>Generates a tenant of <paramref name="size"/> conditions (at least the seven fixed ones).</summary>
    public static BenchmarkTenant Generate(int size)
    {
        var random = new Random(20_241_218);
        var conditions = new List<Condition>(size)
        {
            Condition.RequestMethod(ExactMethod),
            Condition.RequestService("zitadel.user.v2.UserService"),
            Condition.AllRequests,
            Condition.EventGroup("org"),
            Condition.EventGroup("org.member"),
            Condition.Event(ExactEvent),
            Condition.AllEvents,
        };
        var ids = new HashSet<string>(conditions.Select(c => c.Id), StringComparer.Ordinal);
        while (conditions.Count < size)
        {
            var condition = Next(random);
            if (ids.Add(condition.Id))
            {
                conditions.Add(condition);
            }
        }

        var array = conditions.ToArray();
        random.Shuffle(array);
        return new BenchmarkTenant(array);
    }

    // The mix of a typical tenant: mostly methods, then events, groups, services and functions.
    private static Condition Next(Random random) => random.Next(100) switch
    {
        < 55 => Condition.RequestMethod(Method(random)),
        < 65 => Condition.ResponseMethod(Method(random)),
        < 70 => Condition.RequestService(Service(random)),
        < 71 => Condition.ResponseService(Service(random)),
        < 86 => Condition.Event(EventType(random)),
        < 95 => Condition.EventGroup(Group(random)),
        _ => Condition.Function($"{(random.Next(2) == 0 ? "pre" : "post")}{Pick(random, Verbs)}{Pick(random, Nouns)}{random.Next(100)}"),
    };

    private static string Service(Random random) =>
        $"{Pick(random, Orgs)}.{Pick(random, Areas)}.v{random.Next(1, 5)}.{Pick(random, Nouns)}Service";

    private static string Method(Random random) => $"/{Service(random)}/{Pick(random, Verbs)}{Pick(random, Nouns)}";

    private static string EventType(Random random)
    {
        var type = $"{Pick(random, Aggregates)}.{Pick(random, Subjects)}.{Pick(random, Actions)}";
        return random.Next(4) == 0 ? $"{Pick(random, Aggregates)}.{Pick(random, Subjects)}.{Pick(random, Subjects)}.{Pick(random, Actions)}" : type;
    }

    private static string Group(Random random) => random.Next(4) switch
    {
        0 => Pick(random, Aggregates),
        1 => $"{Pick(random, Aggregates)}.{Pick(random, Subjects)}.{Pick(random, Subjects)}",
        _ => $"{Pick(random, Aggregates)}.{Pick(random, Subjects)}",
    };

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];
}
