using ActionExec.Conditions;
using ActionExec.Matching;

namespace ActionExec.Tests.Matching;

/// <summary>
/// Random tenants and random lookups, requiring <see cref="ConditionMatcher"/> to answer exactly as
/// <see cref="NaiveMatcher"/>. Names come from small alphabets whose words are prefixes of one another
/// and whose lengths straddle the hash's 4- and 8-character reads and the 64-length words of its length sets, so that hits, near misses and
/// segment-boundary cases are common. The seeds are fixed: a failure repeats.
/// </summary>
public sealed class MatcherConformanceTests
{
    private static readonly string[] NarrowServiceWords = ["a", "ab", "abc", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"];
    private static readonly string[] NarrowMethodWords = ["M", "Mx", "MxyzMxyz", "MxyzMxyzM"];
    private static readonly string[] NarrowEventWords = ["u", "uh", "user", "human", "humanoid", "abcdefgh", "added"];
    private static readonly string[] NarrowFunctionNames = ["f", "fn", "preuserinfo", "pre.user", "preuserinfo2"];

    private static readonly ConditionKind[] Kinds = [ConditionKind.Request, ConditionKind.Response, ConditionKind.Event, ConditionKind.Function];

    public static TheoryData<int, int> SmallTenants()
    {
        var data = new TheoryData<int, int>();
        for (var seed = 1; seed <= 400; seed++)
        {
            data.Add(seed, seed % 5 == 0 ? 0 : seed % 7 == 0 ? 1 : 2 + (seed % 40));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SmallTenants))]
    public void Match_RandomSmallTenant_AgreesWithTheNaiveMatcher(int seed, int size)
    {
        var random = new Random(seed);
        var alphabet = Alphabet.Narrow;
        var conditions = RandomTenant(random, alphabet, size);

        var mismatches = Compare(conditions, RandomValues(random, alphabet, conditions, 60), (ulong)seed);

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Match_RandomLargeTenant_AgreesWithTheNaiveMatcher()
    {
        var random = new Random(5000);
        var alphabet = Alphabet.Wide;
        var conditions = RandomTenant(random, alphabet, 5000);

        var mismatches = Compare(conditions, RandomValues(random, alphabet, conditions, 3000), 5000);

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Match_MalformedValues_NeverThrowAndAgreeWithTheNaiveMatcher()
    {
        string[] values = ["", "/", "//", "///", "/S", "S", "/S/", "//S", "user..x", ".", "..", "user.", ".user", "/.", "./", "S/M/", "/S//M"];
        var random = new Random(17);
        foreach (var size in new[] { 0, 1, 3, 30 })
        {
            var conditions = RandomTenant(random, Alphabet.Narrow, size);
            conditions.Add(Condition.RequestService("S"));
            conditions.Add(Condition.RequestMethod("/S/M"));
            conditions.Add(Condition.EventGroup("user"));

            var mismatches = Compare(conditions, values, (ulong)size);

            Assert.Empty(mismatches);
        }
    }

    [Fact]
    public void Match_RandomSeed_AgreesWithTheNaiveMatcher()
    {
        var random = new Random(99);
        var conditions = RandomTenant(random, Alphabet.Narrow, 200);
        var values = RandomValues(random, Alphabet.Narrow, conditions, 2000);
        var naive = NaiveMatcher.Build(conditions.ToArray());
        var fast = ConditionMatcher.Build(conditions.ToArray());

        foreach (var value in values)
        {
            foreach (var kind in Kinds)
            {
                Assert.Equal(naive.Match(kind, value), fast.Match(kind, value));
            }
        }
    }

    private static List<string> Compare(List<Condition> conditions, IEnumerable<string> values, ulong seed)
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

    private static string Describe(List<Condition> conditions, int index) => index < 0 ? "-1" : $"{index} ({conditions[index].Id})";

    private static List<Condition> RandomTenant(Random random, Alphabet alphabet, int size)
    {
        var conditions = new List<Condition>(size);
        for (var i = 0; i < size; i++)
        {
            conditions.Add(random.Next(20) switch
            {
                0 => Condition.AllRequests,
                1 => Condition.AllResponses,
                2 => Condition.AllEvents,
                3 or 4 or 5 or 6 => Condition.RequestMethod(Method(random, alphabet)),
                7 or 8 => Condition.RequestService(Service(random, alphabet)),
                9 or 10 => Condition.ResponseMethod(Method(random, alphabet)),
                11 => Condition.ResponseService(Service(random, alphabet)),
                12 => Condition.Function(Pick(random, alphabet.Functions)),
                13 or 14 or 15 => Condition.Event(Dotted(random, alphabet.Events, 1, 4)),
                _ => Condition.EventGroup(Dotted(random, alphabet.Events, 1, 3) + (random.Next(4) == 0 ? ".*" : string.Empty)),
            });
        }

        return conditions;
    }

    private static List<string> RandomValues(Random random, Alphabet alphabet, List<Condition> conditions, int count)
    {
        var values = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var value = random.Next(4) switch
            {
                0 when conditions.Count > 0 => conditions[random.Next(conditions.Count)].Value ?? string.Empty,
                1 => "/" + Service(random, alphabet) + "/" + Pick(random, alphabet.Methods),
                2 => Dotted(random, alphabet.Events, 1, 5),
                _ => Pick(random, alphabet.Functions),
            };
            values.Add(Mutate(random, alphabet, value));
        }

        return values;
    }

    // Half the values stay as they are; the rest get the edits that sit on the boundaries of the rules.
    private static string Mutate(Random random, Alphabet alphabet, string value) => random.Next(24) switch
    {
        0 => value.StartsWith('/') ? value[1..] : "/" + value,
        1 => value + "/" + Pick(random, alphabet.Methods),
        2 => value + "." + Pick(random, alphabet.Events),
        3 => value + Pick(random, alphabet.Events),
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

    private static string Method(Random random, Alphabet alphabet) =>
        (random.Next(3) == 0 ? string.Empty : "/") + Service(random, alphabet) + "/" + Pick(random, alphabet.Methods);

    private static string Service(Random random, Alphabet alphabet) => Dotted(random, alphabet.Services, 1, 3);

    private static string Dotted(Random random, string[] words, int min, int max)
    {
        var count = random.Next(min, max + 1);
        var parts = new string[count];
        for (var i = 0; i < count; i++)
        {
            parts[i] = Pick(random, words);
        }

        return string.Join('.', parts);
    }

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];

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
