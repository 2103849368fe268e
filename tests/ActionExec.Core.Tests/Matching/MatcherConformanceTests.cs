using ActionExec.Conditions;
using ActionExec.Matching;
using CsCheck;

namespace ActionExec.Tests.Matching;

/// <summary>
/// Random tenants and random lookups, requiring <see cref="ConditionMatcher"/> to answer exactly as
/// <see cref="NaiveMatcher"/>. Names come from small alphabets whose words are prefixes of one another
/// and whose lengths straddle the hash's 4- and 8-character reads and the 64-length words of its length sets, so that hits, near misses and
/// segment-boundary cases are common. Generated with CsCheck: a failure prints the seed that repeats it and shrinks to a small case.
/// </summary>
public sealed class MatcherConformanceTests
{
    private static readonly string[] NarrowServiceWords = ["a", "ab", "abc", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"];
    private static readonly string[] NarrowMethodWords = ["M", "Mx", "MxyzMxyz", "MxyzMxyzM"];
    private static readonly string[] NarrowEventWords = ["u", "uh", "user", "human", "humanoid", "abcdefgh", "added"];
    private static readonly string[] NarrowFunctionNames = ["f", "fn", "preuserinfo", "pre.user", "preuserinfo2"];

    private static readonly ConditionKind[] Kinds = [ConditionKind.Request, ConditionKind.Response, ConditionKind.Event, ConditionKind.Function];

    [Fact]
    public void Match_AnySmallTenant_AgreesWithTheNaiveMatcher()
    {
        // Tenants of 0 to 41 conditions, each with 60 lookups and its own hash seed; a failure shrinks to a small tenant and
        // the lookups that disagree.
        var cases = Gen.Frequency((1, Gen.Const(0)), (1, Gen.Const(1)), (6, Gen.Int[2, 41]))
            .SelectMany(size => Tenant(Alphabet.Narrow, size))
            .SelectMany(conditions => Gen.Select(Gen.Const(conditions), Values(Alphabet.Narrow, conditions).Array[60], Gen.ULong));

        cases.Sample(
            static (conditions, values, seed) => Assert.Empty(Compare(conditions, values, seed)),
            iter: 400,
            print: static c => Describe(c.Item1, c.Item2, c.Item3));
    }

    [Fact]
    public void Match_AnyMediumTenant_AgreesWithTheNaiveMatcher()
    {
        var cases = Tenant(Alphabet.Narrow, 200)
            .SelectMany(conditions => Gen.Select(Gen.Const(conditions), Values(Alphabet.Narrow, conditions).Array[2000], Gen.ULong));

        cases.Sample(
            static (conditions, values, seed) => Assert.Empty(Compare(conditions, values, seed)),
            iter: 4,
            print: static c => Describe(c.Item1, c.Item2, c.Item3));
    }

    [Fact]
    public void Match_AnyLargeTenant_AgreesWithTheNaiveMatcher()
    {
        var cases = Tenant(Alphabet.Wide, 5000)
            .SelectMany(conditions => Gen.Select(Gen.Const(conditions), Values(Alphabet.Wide, conditions).Array[3000], Gen.ULong));

        cases.Sample(
            static (conditions, values, seed) => Assert.Empty(Compare(conditions, values, seed)),
            iter: 2,
            threads: 1,
            print: static c => Describe(c.Item1, c.Item2, c.Item3));
    }

    [Fact]
    public void Match_MalformedValues_NeverThrowAndAgreeWithTheNaiveMatcher()
    {
        string[] values = ["", "/", "//", "///", "/S", "S", "/S/", "//S", "user..x", ".", "..", "user.", ".user", "/.", "./", "S/M/", "/S//M"];
        var tenants = Gen.OneOf(0, 1, 3, 30).SelectMany(size => Tenant(Alphabet.Narrow, size)).Select(static conditions =>
            (List<Condition>)[.. conditions, Condition.RequestService("S"), Condition.RequestMethod("/S/M"), Condition.EventGroup("user")]);

        tenants.Sample(
            conditions => Assert.Empty(Compare(conditions, values, (ulong)conditions.Count)),
            iter: 40,
            print: conditions => Describe(conditions, values, (ulong)conditions.Count));
    }

    private static List<string> Compare(IReadOnlyList<Condition> conditions, IEnumerable<string> values, ulong seed)
    {
        var naive = NaiveMatcher.Build(conditions.ToArray());
        var fast = ConditionMatcher.Build(conditions.ToArray(), seed);
        var mismatches = new List<string>();
        foreach (var value in values)
        {
            foreach (var kind in Kinds)
            {
                var expected = naive.Match(kind, value);
                var actual = fast.Match(kind, value);
                if (expected != actual)
                {
                    mismatches.Add($"{kind} '{value}': naive {Describe(conditions, expected)}, compiled {Describe(conditions, actual)}");
                }
            }
        }

        return mismatches;
    }

    private static string Describe(IReadOnlyList<Condition> conditions, int index) => index < 0 ? "-1" : $"{index} ({conditions[index].Id})";

    private static string Describe(IReadOnlyList<Condition> conditions, IReadOnlyList<string> values, ulong seed) =>
        $"seed {seed}; tenant [{string.Join(", ", conditions.Select(static c => c.Id))}]; values [{string.Join(", ", values.Select(static v => $"'{v}'"))}]";

    private static Gen<List<Condition>> Tenant(Alphabet alphabet, int size) => AnyCondition(alphabet).List[size];

    private static Gen<Condition> AnyCondition(Alphabet alphabet) => Gen.Frequency(
        (1, Gen.Const(Condition.AllRequests)),
        (1, Gen.Const(Condition.AllResponses)),
        (1, Gen.Const(Condition.AllEvents)),
        (4, Method(alphabet).Select(Condition.RequestMethod)),
        (2, Service(alphabet).Select(Condition.RequestService)),
        (2, Method(alphabet).Select(Condition.ResponseMethod)),
        (1, Service(alphabet).Select(Condition.ResponseService)),
        (1, Gen.OneOf(alphabet.Functions).Select(Condition.Function)),
        (3, Dotted(alphabet.Events, 1, 4).Select(Condition.Event)),
        (4, Gen.Select(Dotted(alphabet.Events, 1, 3), Gen.Int[0, 3], static (group, star) => Condition.EventGroup(star == 0 ? group + ".*" : group))));

    // A quarter of the values are values of the tenant's own conditions, so hits are common; the rest are fresh. About half of
    // them get the edits that sit on the boundaries of the rules.
    private static Gen<string> Values(Alphabet alphabet, List<Condition> conditions)
    {
        var fresh = Gen.OneOf(
            Gen.Select(Service(alphabet), Gen.OneOf(alphabet.Methods), static (service, method) => "/" + service + "/" + method),
            Dotted(alphabet.Events, 1, 5),
            Gen.OneOf(alphabet.Functions));
        var value = conditions.Count == 0
            ? fresh
            : Gen.Frequency((1, Gen.OneOf([.. conditions.Select(static c => c.Value ?? string.Empty)])), (3, fresh));
        return Gen.Select(value, Gen.Int[0, 23], Gen.OneOf(alphabet.Methods), Gen.OneOf(alphabet.Events), Mutate);
    }

    private static string Mutate(string value, int edit, string method, string eventWord) => edit switch
    {
        0 => value.StartsWith('/') ? value[1..] : "/" + value,
        1 => value + "/" + method,
        2 => value + "." + eventWord,
        3 => value + eventWord,
        4 => value.Length > 1 ? value[..^1] : value,
        5 => value + "/",
        6 => value + ".",
        7 => "." + value,
        8 => "/" + value,
        9 => value.Replace(".", "..", StringComparison.Ordinal),
        10 => value.Replace('/', '.'),
        11 => value.Replace('.', '/'),
        _ => value,
    };

    private static Gen<string> Method(Alphabet alphabet) =>
        Gen.Select(Gen.Int[0, 2], Service(alphabet), Gen.OneOf(alphabet.Methods), static (slash, service, method) => (slash == 0 ? "" : "/") + service + "/" + method);

    private static Gen<string> Service(Alphabet alphabet) => Dotted(alphabet.Services, 1, 3);

    private static Gen<string> Dotted(string[] words, int min, int max) => Gen.OneOf(words).Array[min, max].Select(static parts => string.Join('.', parts));

    private sealed record Alphabet(string[] Services, string[] Methods, string[] Events, string[] Functions)
    {
        public static Alphabet Narrow { get; } = new(NarrowServiceWords, NarrowMethodWords, NarrowEventWords, NarrowFunctionNames);

        // Enough distinct names that a tenant of thousands is mostly distinct conditions, still sharing prefixes.
        public static Alphabet Wide { get; } = new(
            [.. Enumerable.Range(0, 24).Select(i => "pkg" + i), .. NarrowServiceWords],
            [.. Enumerable.Range(0, 12).Select(i => "Method" + i), .. NarrowMethodWords],
            [.. Enumerable.Range(0, 16).Select(i => "type" + i), .. NarrowEventWords],
            [.. Enumerable.Range(0, 200).Select(i => "function" + i), .. NarrowFunctionNames]);
    }
}
