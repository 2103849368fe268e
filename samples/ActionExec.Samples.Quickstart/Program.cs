using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Targets;

// A tour of the ActionExec model: conditions say when something runs, targets say what is called, and
// executions bind a condition to an ordered list of targets and includes. Each step is a small function.

var conditions = ShowConditions();
var targets = ShowTargets();
ShowExecutions(conditions, targets);
ShowValidationErrors();

static void Heading(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title} ==");
}

// Conditions: one of each scope, with the canonical id that names it (and parses back to it).
static (Condition Method, Condition Service, Condition AllRequests, Condition Function, Condition Event, Condition Group) ShowConditions()
{
    Heading("Conditions");
    var result = (
        Method: Condition.RequestMethod("demo.v1.GreeterService/SayHello"),
        Service: Condition.RequestService("demo.v1.GreeterService"),
        AllRequests: Condition.AllRequests,
        Function: Condition.Function("preuserinfo"),
        Event: Condition.Event("user.human.added"),
        Group: Condition.EventGroup("user.human.*"));

    foreach (var condition in new[] { result.Method, result.Service, result.AllRequests, result.Function, result.Event, result.Group })
    {
        var parsesBack = Condition.Parse(condition.Id) == condition ? "yes" : "no";
        Console.WriteLine($"  {condition.Kind,-8} {condition.Scope,-8} {condition.Id,-42} parses back: {parsesBack}");
    }

    return result;
}

// Targets: a specification is checked against the rules of the model before anything is stored; the
// signing key is generated once and shown to the caller only then (here only its shape is printed).
static (string AuditId, string EnrichId) ShowTargets()
{
    Heading("Targets");
    var audit = new TargetSpec
    {
        Name = "audit-log",
        Endpoint = "https://audit.example.com/hooks/actions",
        Type = TargetType.Webhook,
        Timeout = TimeSpan.FromSeconds(5),
        InterruptOnError = true,
    };
    var enrich = new TargetSpec
    {
        Name = "enrich-claims",
        Endpoint = "https://claims.example.com/enrich",
        Type = TargetType.Call,
        Timeout = TimeSpan.FromSeconds(2),
        SignatureScheme = SignatureScheme.StandardWebhooks,
    };

    foreach (var spec in new[] { audit, enrich })
    {
        TargetRules.Validate(spec, TargetRules.DefaultMaxTimeout);
        var key = SigningKeys.Generate(spec.SignatureScheme);
        Console.WriteLine($"  {spec.Name,-14} {spec.Type,-8} {spec.Endpoint} (timeout {spec.Timeout.TotalSeconds}s, valid)");
        Console.WriteLine($"  {"",-14} signing key for {spec.SignatureScheme}: {Describe(key)}");
    }

    // A store generates opaque ids when it creates targets; these stand in for them.
    return (AuditId: "tgt-audit-log", EnrichId: "tgt-enrich-claims");

    static string Describe(string key) => key.StartsWith(SigningKeys.StandardWebhooksPrefix, StringComparison.Ordinal)
        ? $"{SigningKeys.StandardWebhooksPrefix}… ({key.Length} characters)"
        : $"{key.Length} base64url characters";
}

// Executions: a condition and its ordered entries. An include pulls in another execution's entries.
static void ShowExecutions(
    (Condition Method, Condition Service, Condition AllRequests, Condition Function, Condition Event, Condition Group) conditions,
    (string AuditId, string EnrichId) targets)
{
    Heading("Executions");
    // A store sets the details when it commits a change; fixed values stand in for them here.
    var details = new ExecutionDetails(Sequence: 1, ChangeDate: DateTimeOffset.UnixEpoch, ResourceOwner: "tenant-demo");
    var service = new Execution(conditions.Service, [ExecutionEntry.ForTarget(targets.AuditId)], details);
    var method = new Execution(
        conditions.Method,
        [ExecutionEntry.ForTarget(targets.EnrichId), ExecutionEntry.ForInclude(conditions.Service)],
        details with { Sequence = 2 });

    foreach (var execution in new[] { service, method })
    {
        ExecutionRules.ValidateEntries(execution.Entries);
        Console.WriteLine($"  {execution.Id}");
        PrintEntries(execution.Entries);
    }

    static void PrintEntries(ImmutableArray<ExecutionEntry> entries)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var text = entry.Kind == ExecutionEntryKind.Target ? $"target  {entry.TargetId}" : $"include {entry.Include}";
            Console.WriteLine($"    [{i}] {text}");
        }
    }
}

// Validation errors: every problem of the input is reported at once, each with its field and a fix.
static void ShowValidationErrors()
{
    Heading("A target specification with four problems, as a caller sees it");
    var broken = new TargetSpec
    {
        Name = "",
        Endpoint = "ftp://files.example.com/drop",
        Type = TargetType.Async,
        Timeout = TimeSpan.FromMinutes(10),
        InterruptOnError = true,
    };
    Print(() => TargetRules.Validate(broken, TargetRules.DefaultMaxTimeout));

    Heading("An entry list with a bad id and a duplicate");
    Print(() => ExecutionRules.ValidateEntries(
    [
        ExecutionEntry.ForTarget("tgt-audit-log"),
        ExecutionEntry.ForTarget("tgt audit"),
        ExecutionEntry.ForTarget("tgt-audit-log"),
    ]));

    Heading("A condition id that is not canonical");
    Print(() => Condition.Parse("request/demo.v1.GreeterService/SayHello/extra"));

    static void Print(Action action)
    {
        try
        {
            action();
            Console.WriteLine("  (no error)");
        }
        catch (ActionExecException e)
        {
            Console.WriteLine($"  code:    {(int)e.Code} {e.Code}");
            Console.WriteLine($"  HTTP:    {e.HttpStatusCode}");
            if (e.Violations.IsEmpty)
            {
                Console.WriteLine($"  message: {e.Message}");
            }

            // The message lists the violations too; each one also carries its field, for a form or an API client.
            foreach (var violation in e.Violations)
            {
                Console.WriteLine($"  - {violation.Field}: {violation.Description}");
            }
        }
    }
}
