using ActionExec.Conditions;
using ActionExec.Errors;
using CsCheck;
using ActionExec.Tests.Errors;

namespace ActionExec.Tests.Conditions;

/// <summary>The value rules of spec §1, each on its own, through the public factories.</summary>
public sealed class ConditionRulesTests
{
    /// <summary>Every scope with a value: kind, scope, the field path of its violations, and a valid value.</summary>
    public static TheoryData<ConditionKind, ConditionScope, string, string> ValuedScopes => new()
    {
        { ConditionKind.Request, ConditionScope.Method, "condition.request.method", "/pkg.v1.Service/Method" },
        { ConditionKind.Request, ConditionScope.Service, "condition.request.service", "pkg.v1.Service" },
        { ConditionKind.Response, ConditionScope.Method, "condition.response.method", "/pkg.v1.Service/Method" },
        { ConditionKind.Response, ConditionScope.Service, "condition.response.service", "pkg.v1.Service" },
        { ConditionKind.Function, ConditionScope.Function, "condition.function.name", "preuserinfo" },
        { ConditionKind.Event, ConditionScope.Event, "condition.event.event", "user.human.added" },
        { ConditionKind.Event, ConditionScope.Group, "condition.event.group", "user.human" },
    };

    [Theory]
    [MemberData(nameof(ValuedScopes))]
    public void Create_EmptyValue_FailsNamingTheScope(ConditionKind kind, ConditionScope scope, string field, string valid)
    {
        Assert.NotNull(Condition.Create(kind, scope, valid));

        InvalidArgumentAssert.Single(() => Condition.Create(kind, scope, ""), field, "must not be empty; give ");
        InvalidArgumentAssert.Single(() => Condition.Create(kind, scope, null), field, "must not be empty; give ");
    }

    [Fact]
    public void RequestMethod_Empty_SaysWhatAFullMethodLooksLike()
    {
        InvalidArgumentAssert.Single(
            () => Condition.RequestMethod(""),
            "condition.request.method",
            "The method must not be empty; give a full method such as '/pkg.v1.Service/Method'.");
    }

    [Theory]
    [MemberData(nameof(ValuedScopes))]
    public void Create_ValueWithWhitespace_FailsNamingTheValue(ConditionKind kind, ConditionScope scope, string field, string valid)
    {
        foreach (var value in new[] { valid.Insert(1, " "), valid + " ", valid.Insert(3, "\t"), valid + "\u00A0", valid.Insert(2, "\n") })
        {
            var violation = InvalidArgumentAssert.Single(() => Condition.Create(kind, scope, value), field, "contains whitespace; remove it");
            Assert.Contains("'" + value.Replace("\n", "\\u000A", StringComparison.Ordinal).Replace("\t", "\\u0009", StringComparison.Ordinal) + "'", violation.Description, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(ValuedScopes))]
    public void Create_ValueWithControlCharacter_FailsNamingTheCharacterEscaped(ConditionKind kind, ConditionScope scope, string field, string valid)
    {
        foreach (var c in new[] { '\u0000', '\u0001', '\u001B', '\u007F', '\u009F' })
        {
            var value = valid.Insert(2, c.ToString());
            var escaped = valid.Insert(2, $"\\u{(int)c:X4}");

            var violation = InvalidArgumentAssert.Single(
                () => Condition.Create(kind, scope, value),
                field,
                $"'{escaped}' contains the control character U+{(int)c:X4}; remove it");
            Assert.DoesNotContain(c, violation.Description);
        }
    }

    [Theory]
    [InlineData(ConditionKind.Request, ConditionScope.Service, "condition.request.service")]
    [InlineData(ConditionKind.Function, ConditionScope.Function, "condition.function.name")]
    [InlineData(ConditionKind.Event, ConditionScope.Event, "condition.event.event")]
    [InlineData(ConditionKind.Event, ConditionScope.Group, "condition.event.group")]
    public void Create_ValueOf1000Characters_IsAcceptedAnd1001Rejected(ConditionKind kind, ConditionScope scope, string field)
    {
        var max = new string('a', 1000);
        var over = new string('a', 1001);

        Assert.Equal(max, Condition.Create(kind, scope, max).Value);
        InvalidArgumentAssert.Single(() => Condition.Create(kind, scope, over), field, "has 1001 characters; at most 1000 are allowed.");
    }

    [Fact]
    public void RequestMethod_1000CharactersWithSlash_IsAcceptedAnd1001Rejected()
    {
        var max = Method(1000, leadingSlash: true);
        var over = Method(1001, leadingSlash: true);

        Assert.Equal(max, Condition.RequestMethod(max).Value);
        InvalidArgumentAssert.Single(
            () => Condition.RequestMethod(over),
            "condition.request.method",
            "has 1001 characters; at most 1000 are allowed.");
    }

    [Fact]
    public void RequestMethod_999CharactersWithoutSlash_IsAcceptedBecauseTheRestoredSlashMakes1000()
    {
        var input = Method(999, leadingSlash: false);

        var condition = Condition.RequestMethod(input);

        Assert.Equal(1000, condition.Value!.Length);
    }

    [Fact]
    public void RequestMethod_1000CharactersWithoutSlash_IsRejectedBecauseTheLimitCountsTheRestoredSlash()
    {
        var input = Method(1000, leadingSlash: false);

        InvalidArgumentAssert.Single(
            () => Condition.RequestMethod(input),
            "condition.request.method",
            "has 1001 characters (counting the leading '/' that is restored); at most 1000 are allowed.");
    }

    [Fact]
    public void EventGroup_1000CharactersPlusWildcard_IsAcceptedBecauseTheLimitCountsTheValueWithoutWildcard()
    {
        var group = new string('a', 1000);

        var condition = Condition.EventGroup(group + ".*");

        Assert.Equal(group, condition.Value);
        Assert.Equal("event/" + group + ".*", condition.Id);
        Assert.Equal(condition, Condition.Parse(condition.Id));
    }

    [Fact]
    public void Create_LongValue_IsShortenedInTheMessage()
    {
        var violation = InvalidArgumentAssert.Single(
            () => Condition.Function(new string('f', 5000)),
            "condition.function.name",
            "'" + new string('f', 77) + "...'",
            "has 5000 characters");

        Assert.True(violation.Description.Length < 200, violation.Description);
    }

    [Theory]
    [InlineData(ConditionKind.Function, ConditionScope.Method, "condition.function.method", "The scope 'method' does not apply to function conditions; use name.")]
    [InlineData(ConditionKind.Function, ConditionScope.All, "condition.function.all", "The scope 'all' does not apply to function conditions; use name.")]
    [InlineData(ConditionKind.Request, ConditionScope.Group, "condition.request.group", "The scope 'group' does not apply to request conditions; use method, service or all.")]
    [InlineData(ConditionKind.Request, ConditionScope.Function, "condition.request.name", "The scope 'function name' does not apply to request conditions; use method, service or all.")]
    [InlineData(ConditionKind.Response, ConditionScope.Event, "condition.response.event", "The scope 'event' does not apply to response conditions; use method, service or all.")]
    [InlineData(ConditionKind.Event, ConditionScope.Service, "condition.event.service", "The scope 'service' does not apply to event conditions; use event, group or all.")]
    [InlineData(ConditionKind.Event, ConditionScope.Method, "condition.event.method", "The scope 'method' does not apply to event conditions; use event, group or all.")]
    public void Create_ScopeOfAnotherKind_FailsNamingTheScopesOfTheKind(ConditionKind kind, ConditionScope scope, string field, string message)
    {
        var violation = InvalidArgumentAssert.Single(() => Condition.Create(kind, scope, "pkg.Svc/M"), field);

        Assert.Equal(message, violation.Description);
    }

    [Fact]
    public void Create_UndefinedKind_FailsOnTheConditionField()
    {
        InvalidArgumentAssert.Single(
            () => Condition.Create((ConditionKind)42, ConditionScope.Method, "/a/b"),
            "condition",
            "The condition kind 42 is unknown; use request, response, function or event.");
    }

    [Fact]
    public void Create_UndefinedScope_FailsNamingTheScopesOfTheKind()
    {
        InvalidArgumentAssert.Single(
            () => Condition.Create(ConditionKind.Event, (ConditionScope)42, "a"),
            "condition",
            "The condition scope 42 is unknown; event conditions take event, group or all.");
    }

    [Theory]
    [InlineData("//Method", "has an empty service segment")]
    [InlineData("/Service/", "has an empty method segment")]
    [InlineData("Service/", "has an empty method segment")]
    [InlineData("/pkg.Service", "has no method segment")]
    [InlineData("pkg.Service", "has no method segment")]
    [InlineData("/pkg.Service/Method/Extra", "has more than two segments")]
    public void RequestMethod_BadSegments_FailsNamingTheSegment(string method, string problem)
    {
        InvalidArgumentAssert.Single(
            () => Condition.RequestMethod(method),
            "condition.request.method",
            $"The method '{method}' {problem}",
            "'/pkg.v1.Service/Method'");
    }

    [Fact]
    public void RequestMethod_EmptyServiceAndMethodSegments_ReportsBoth()
    {
        var exception = InvalidArgumentAssert.Throws(() => Condition.RequestMethod("//"));

        Assert.Collection(
            exception.Violations,
            v => InvalidArgumentAssert.Is(v, "condition.request.method", "has an empty service segment"),
            v => InvalidArgumentAssert.Is(v, "condition.request.method", "has an empty method segment"));
    }

    [Fact]
    public void RequestService_WithSlash_PointsToTheMethodScope()
    {
        InvalidArgumentAssert.Single(
            () => Condition.RequestService("pkg.Svc/M"),
            "condition.request.service",
            "The service 'pkg.Svc/M' contains '/'",
            "use the method scope");
    }

    [Theory]
    [InlineData(".user.added")]
    [InlineData("user.added.")]
    [InlineData("user..added")]
    [InlineData(".")]
    public void Event_EmptyDotSegment_Fails(string eventType)
    {
        InvalidArgumentAssert.Single(
            () => Condition.Event(eventType),
            "condition.event.event",
            $"The event '{eventType}' has an empty dot-segment",
            "'user.human.added'");
    }

    [Theory]
    [InlineData(".user")]
    [InlineData("user.")]
    [InlineData("user..human")]
    [InlineData("user..*")]
    public void EventGroup_EmptyDotSegment_Fails(string group)
    {
        InvalidArgumentAssert.Single(
            () => Condition.EventGroup(group),
            "condition.event.group",
            $"The group '{group}' has an empty dot-segment");
    }

    [Fact]
    public void EventGroup_WithWildcard_IsNotDoubled()
    {
        var condition = Condition.EventGroup("user.human.*");

        Assert.Equal("user.human", condition.Value);
        Assert.Equal("event/user.human.*", condition.Id);
        Assert.Equal(Condition.EventGroup("user.human"), condition);
    }

    [Theory]
    [InlineData("user.*")]
    [InlineData("user.human.*")]
    [InlineData("*")]
    [InlineData("user.hu*man")]
    public void Event_WithStar_FailsPointingToTheGroupScope(string eventType)
    {
        InvalidArgumentAssert.Single(
            () => Condition.Event(eventType),
            "condition.event.event",
            $"The event '{eventType}' contains '*'",
            "an event type is literal; to match a group of events use the group scope");
    }

    [Theory]
    [InlineData("*")]
    [InlineData("user.*.*")]
    [InlineData("user.*.human")]
    [InlineData("user*")]
    public void EventGroup_WithStarOtherThanOneTrailingWildcard_Fails(string group)
    {
        InvalidArgumentAssert.Single(
            () => Condition.EventGroup(group),
            "condition.event.group",
            $"The group '{group}' contains '*'",
            "only one trailing '.*' is allowed");
    }

    [Fact]
    public void EventGroup_OnlyTheWildcard_FailsPointingToAllEvents()
    {
        InvalidArgumentAssert.Single(
            () => Condition.EventGroup(".*"),
            "condition.event.group",
            "The group '.*' names no group",
            "'user.human'",
            "all events");
    }

    [Fact]
    public void Event_BreakingSeveralRules_ReportsEveryViolation()
    {
        var exception = InvalidArgumentAssert.Throws(() => Condition.Event(" user..human*\u0001"));

        Assert.Collection(
            exception.Violations,
            v => InvalidArgumentAssert.Is(v, "condition.event.event", "contains whitespace"),
            v => InvalidArgumentAssert.Is(v, "condition.event.event", "contains the control character U+0001"),
            v => InvalidArgumentAssert.Is(v, "condition.event.event", "contains '*'"),
            v => InvalidArgumentAssert.Is(v, "condition.event.event", "has an empty dot-segment"));
        Assert.StartsWith("The input has 4 problems. condition.event.event: The event ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestMethod_BreakingSeveralRules_ReportsEveryViolation()
    {
        var input = "pkg Svc/" + new string('m', 1000);

        var exception = InvalidArgumentAssert.Throws(() => Condition.RequestMethod(input));

        Assert.Collection(
            exception.Violations,
            v => InvalidArgumentAssert.Is(v, "condition.request.method", "contains whitespace"),
            v => InvalidArgumentAssert.Is(v, "condition.request.method", "has 1009 characters (counting the leading '/' that is restored)"));
    }

    [Fact]
    public void Parse_IdBreakingSeveralRules_ReportsEveryViolation()
    {
        var exception = InvalidArgumentAssert.Throws(() => Condition.Parse("event/a..b c.*.*"));

        Assert.Collection(
            exception.Violations,
            v => InvalidArgumentAssert.Is(v, "condition", "The group 'a..b c.*.*' contains whitespace"),
            v => InvalidArgumentAssert.Is(v, "condition", "contains '*'"),
            v => InvalidArgumentAssert.Is(v, "condition", "has an empty dot-segment"));
    }

    /// <summary>A valid full method of exactly <paramref name="length"/> characters.</summary>
    private static string Method(int length, bool leadingSlash)
    {
        var prefix = leadingSlash ? "/pkg.Svc/" : "pkg.Svc/";
        return prefix + new string('m', length - prefix.Length);
    }

    [Theory]
    [InlineData(ConditionKind.Request, ConditionScope.Method)]
    [InlineData(ConditionKind.Event, ConditionScope.Event)]
    [InlineData(ConditionKind.Function, ConditionScope.Function)]
    public void IsWellFormed_AnyValue_AgreesWithNormalize(ConditionKind kind, ConditionScope scope)
    {
        // The characters every rule looks at, and a few it must not trip on; long values reach the length limit.
        var chars = Gen.Char["/.*ab \t\u0001\u00a0\u2028é"];
        var value = Gen.OneOf(chars.Array[0, 12], chars.Array[995, 1003]).Select(static c => new string(c));

        value.Sample(v => Assert.Equal(
            ConditionRules.Normalize(kind, scope, v, "value", new ViolationList()) is not null,
            ConditionRules.IsWellFormed(scope, v)));
    }

    [Theory]
    [InlineData(ConditionScope.Method, "/pkg.v1.Service/Method", true)]
    [InlineData(ConditionScope.Method, "pkg.v1.Service/Method", true)]
    [InlineData(ConditionScope.Method, "Greet", false)]
    [InlineData(ConditionScope.Method, "/a/", false)]
    [InlineData(ConditionScope.Method, "a b", false)]
    [InlineData(ConditionScope.Event, "user.human.added", true)]
    [InlineData(ConditionScope.Event, "user.human.*", false)]
    [InlineData(ConditionScope.Function, "preuserinfo", true)]
    [InlineData(ConditionScope.Function, "", false)]
    public void IsWellFormed_FlowNames_AcceptsOnlyWellFormedOnes(ConditionScope scope, string value, bool expected) =>
        Assert.Equal(expected, ConditionRules.IsWellFormed(scope, value));

    [Fact]
    public void IsWellFormed_ValidValue_AllocatesNothing()
    {
        (ConditionScope Scope, string Value)[] valid = [(ConditionScope.Method, "/pkg.v1.Service/Method"), (ConditionScope.Event, "user.human.added"), (ConditionScope.Function, "preuserinfo")];
        foreach (var (scope, value) in valid)
        {
            Assert.True(ConditionRules.IsWellFormed(scope, value));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var (scope, value) in valid)
        {
            ConditionRules.IsWellFormed(scope, value);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
