using ActionExec.Conditions;

namespace ActionExec.Soak;

/// <summary>The conditions the writer sets and the values the matching threads look up, boundary traps included.</summary>
internal static class MatchUniverse
{
    public static IReadOnlyList<Condition> Conditions { get; } = BuildConditions();

    public static IReadOnlyList<Probe> Probes { get; } = BuildProbes();

    private static Condition[] BuildConditions()
    {
        var conditions = new List<Condition> { Condition.AllRequests, Condition.AllEvents };
        for (var s = 0; s < 6; s++)
        {
            conditions.Add(Condition.RequestService($"soak.v1.Svc{s}"));
            for (var m = 0; m < 4; m++)
            {
                conditions.Add(Condition.RequestMethod($"/soak.v1.Svc{s}/M{m}"));
            }
        }

        conditions.AddRange(
        [
            Condition.EventGroup("soak"),
            Condition.EventGroup("soak.user"),
            Condition.EventGroup("soak.user.human"),
            Condition.Event("soak.user.human.added"),
            Condition.Event("soak.user.human.removed"),
            Condition.Event("soak.org.added"),
            Condition.Function("preuserinfo"),
            Condition.Function("preaccesstoken"),
        ]);
        return [.. conditions];
    }

    private static Probe[] BuildProbes()
    {
        var probes = new List<Probe>();
        for (var s = 0; s < 7; s++)
        {
            for (var m = 0; m < 5; m++)
            {
                probes.Add(new Probe(ConditionKind.Request, $"/soak.v1.Svc{s}/M{m}"));
            }
        }

        probes.AddRange(
        [
            new Probe(ConditionKind.Request, "soak.v1.Svc1/M1"),
            new Probe(ConditionKind.Request, "/soak.v1.Svc1X/M1"),
            new Probe(ConditionKind.Request, "/other.v1.Service/Method"),
            new Probe(ConditionKind.Event, "soak.user.human.added"),
            new Probe(ConditionKind.Event, "soak.user.human.removed"),
            new Probe(ConditionKind.Event, "soak.user.human.renamed"),
            new Probe(ConditionKind.Event, "soak.user.humanoid.added"),
            new Probe(ConditionKind.Event, "soak.user.machine.added"),
            new Probe(ConditionKind.Event, "soak.org.added"),
            new Probe(ConditionKind.Event, "soak.org.added.twice"),
            new Probe(ConditionKind.Event, "other.thing.happened"),
            new Probe(ConditionKind.Function, "preuserinfo"),
            new Probe(ConditionKind.Function, "preaccesstoken"),
            new Probe(ConditionKind.Function, "presamlresponse"),
        ]);
        return [.. probes];
    }
}
