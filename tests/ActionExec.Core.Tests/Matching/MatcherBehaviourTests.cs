using ActionExec.Conditions;

namespace ActionExec.Tests.Matching;

/// <summary>
/// The matching rules of spec §5, run against both matchers: each subclass builds its own matcher.
/// Expected answers are indexes into the condition list, so a test fails if the wrong level wins.
/// </summary>
public abstract class MatcherBehaviourTests
{
    private static readonly Condition AllRequests = Condition.AllRequests;
    private static readonly Condition ServiceRequest = Condition.RequestService("pkg.v1.Svc");
    private static readonly Condition MethodRequest = Condition.RequestMethod("/pkg.v1.Svc/Get");

    /// <summary>Builds the matcher under test and returns its <c>Match</c>.</summary>
    protected abstract Func<ConditionKind, string, int> Build(params Condition[] conditions);

    [Fact]
    public void Match_MethodServiceAndAllConfigured_ExactMethodWins()
    {
        var match = Build(AllRequests, ServiceRequest, MethodRequest);

        Assert.Equal(2, match(ConditionKind.Request, "/pkg.v1.Svc/Get"));
    }

    [Fact]
    public void Match_OtherMethodOfTheService_MatchesTheService()
    {
        var match = Build(MethodRequest, AllRequests, ServiceRequest);

        Assert.Equal(2, match(ConditionKind.Request, "/pkg.v1.Svc/List"));
    }

    [Fact]
    public void Match_OtherService_MatchesAll()
    {
        var match = Build(MethodRequest, ServiceRequest, AllRequests);

        Assert.Equal(2, match(ConditionKind.Request, "/pkg.v1.Other/Get"));
    }

    [Fact]
    public void Match_OtherServiceWithoutAll_MatchesNothing()
    {
        var match = Build(MethodRequest, ServiceRequest);

        Assert.Equal(-1, match(ConditionKind.Request, "/pkg.v1.Other/Get"));
    }

    [Fact]
    public void Match_RequestAndResponse_AreIndependent()
    {
        var match = Build(
            Condition.ResponseMethod("/pkg.v1.Svc/Get"),
            Condition.ResponseService("pkg.v1.Svc"),
            Condition.AllResponses,
            Condition.RequestService("pkg.v1.Other"),
            Condition.RequestMethod("/pkg.v1.Other/Get"));

        Assert.Equal(-1, match(ConditionKind.Request, "/pkg.v1.Svc/Get"));
        Assert.Equal(-1, match(ConditionKind.Request, "/pkg.v1.Svc/List"));
        Assert.Equal(4, match(ConditionKind.Request, "/pkg.v1.Other/Get"));
        Assert.Equal(3, match(ConditionKind.Request, "/pkg.v1.Other/List"));
        Assert.Equal(0, match(ConditionKind.Response, "/pkg.v1.Svc/Get"));
        Assert.Equal(1, match(ConditionKind.Response, "/pkg.v1.Svc/List"));
        Assert.Equal(2, match(ConditionKind.Response, "/pkg.v1.Other/Get"));
    }

    [Fact]
    public void Match_AllRequestsOnly_DoesNotMatchResponsesOrEvents()
    {
        var match = Build(AllRequests);

        Assert.Equal(0, match(ConditionKind.Request, "/a.B/C"));
        Assert.Equal(-1, match(ConditionKind.Response, "/a.B/C"));
        Assert.Equal(-1, match(ConditionKind.Event, "user.human.added"));
        Assert.Equal(-1, match(ConditionKind.Function, "preuserinfo"));
    }

    [Fact]
    public void Match_ServiceIsASegment_DoesNotMatchALongerServiceName()
    {
        var match = Build(Condition.RequestService("pkg.Svc"), AllRequests);

        Assert.Equal(1, match(ConditionKind.Request, "/pkg.SvcV2/M"));
        Assert.Equal(0, match(ConditionKind.Request, "/pkg.Svc/M"));
    }

    [Fact]
    public void Match_ServiceIsASegment_DoesNotMatchAShorterServiceName()
    {
        var match = Build(Condition.RequestService("pkg.SvcV2"), AllRequests);

        Assert.Equal(1, match(ConditionKind.Request, "/pkg.Svc/M"));
    }

    [Fact]
    public void Match_ValueWithoutLeadingSlash_MatchesAsIfItHadOne()
    {
        var match = Build(ServiceRequest, MethodRequest);

        Assert.Equal(1, match(ConditionKind.Request, "pkg.v1.Svc/Get"));
        Assert.Equal(0, match(ConditionKind.Request, "pkg.v1.Svc/List"));
    }

    [Fact]
    public void Match_ValueWithThreeSegments_MatchesTheServiceNotTheMethod()
    {
        var match = Build(MethodRequest, ServiceRequest);

        Assert.Equal(1, match(ConditionKind.Request, "/pkg.v1.Svc/Get/More"));
    }

    [Fact]
    public void Match_ValueWithEmptyMethodSegment_MatchesTheService()
    {
        var match = Build(MethodRequest, ServiceRequest);

        Assert.Equal(1, match(ConditionKind.Request, "/pkg.v1.Svc/"));
    }

    [Fact]
    public void Match_DoubledLeadingSlash_MatchesNeitherMethodNorService()
    {
        var match = Build(MethodRequest, ServiceRequest, AllRequests);

        Assert.Equal(2, match(ConditionKind.Request, "//pkg.v1.Svc/Get"));
    }

    [Fact]
    public void Match_ExactEventGroupAndAll_ExactEventWins()
    {
        var match = Build(Condition.AllEvents, Condition.EventGroup("user.human"), Condition.Event("user.human.added"));

        Assert.Equal(2, match(ConditionKind.Event, "user.human.added"));
        Assert.Equal(1, match(ConditionKind.Event, "user.human.removed"));
        Assert.Equal(0, match(ConditionKind.Event, "org.added"));
    }

    [Fact]
    public void Match_TwoGroupsMatch_TheLongestWins()
    {
        var match = Build(Condition.EventGroup("user.human.phone"), Condition.EventGroup("user"), Condition.EventGroup("user.human"));

        Assert.Equal(0, match(ConditionKind.Event, "user.human.phone.verified"));
        Assert.Equal(2, match(ConditionKind.Event, "user.human.email.verified"));
        Assert.Equal(1, match(ConditionKind.Event, "user.machine.added"));
    }

    [Fact]
    public void Match_GroupIsASegment_DoesNotMatchALongerSegment()
    {
        var match = Build(Condition.EventGroup("user.human"), Condition.AllEvents);

        Assert.Equal(1, match(ConditionKind.Event, "user.humanoid.added"));
    }

    [Fact]
    public void Match_GroupAndEventOfTheSameName_GroupDoesNotMatchTheEvent()
    {
        var match = Build(Condition.EventGroup("user.human"));

        Assert.Equal(-1, match(ConditionKind.Event, "user.human"));
    }

    [Fact]
    public void Match_ExactEvent_DoesNotMatchALongerEventType()
    {
        var match = Build(Condition.Event("foo.bar"));

        Assert.Equal(-1, match(ConditionKind.Event, "foo.bar.baz"));
        Assert.Equal(0, match(ConditionKind.Event, "foo.bar"));
    }

    [Fact]
    public void Match_GroupGivenWithWildcard_MatchesLikeTheGroup()
    {
        var match = Build(Condition.EventGroup("user.human.*"));

        Assert.Equal(0, match(ConditionKind.Event, "user.human.added"));
    }

    [Fact]
    public void Match_EventWithTrailingDot_MatchesTheGroupBeforeIt()
    {
        var match = Build(Condition.EventGroup("user.human"));

        Assert.Equal(0, match(ConditionKind.Event, "user.human."));
    }

    [Theory]
    [InlineData("abcdefg")]
    [InlineData("abcdefgh")]
    [InlineData("abcdefghi")]
    [InlineData("abcdefghijklmno")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("abcdefghijklmnopq")]
    [InlineData("a.bcdefghijklmnopqrstuvwxyz.0123")]
    public void Match_GroupsOfEveryLength_MatchAtTheirBoundaryOnly(string group)
    {
        var match = Build(Condition.EventGroup(group), Condition.Event(group + "x.y"), Condition.EventGroup(group + ".y"));

        Assert.Equal(0, match(ConditionKind.Event, group + ".x"));
        Assert.Equal(0, match(ConditionKind.Event, group + ".x.y.z"));
        Assert.Equal(2, match(ConditionKind.Event, group + ".y.z"));
        Assert.Equal(1, match(ConditionKind.Event, group + "x.y"));
        Assert.Equal(-1, match(ConditionKind.Event, group + "x.z"));
        Assert.Equal(-1, match(ConditionKind.Event, group[..^1] + "." + group[^1]));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(128)]
    [InlineData(999)]
    [InlineData(1000)]
    public void Match_LongKeys_MatchTheirExactLengthOnly(int length)
    {
        var name = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))));
        var method = "/" + name[..(length / 2)] + "/" + name[((length / 2) + 2)..];
        var match = Build(Condition.Function(name), Condition.RequestMethod(method), Condition.EventGroup(name[..^2]), Condition.Event(name));

        Assert.Equal(0, match(ConditionKind.Function, name));
        Assert.Equal(-1, match(ConditionKind.Function, name[..^1]));
        Assert.Equal(-1, match(ConditionKind.Function, name + "a"));
        Assert.Equal(1, match(ConditionKind.Request, method));
        Assert.Equal(-1, match(ConditionKind.Request, method[..^1]));
        Assert.Equal(3, match(ConditionKind.Event, name));
        Assert.Equal(2, match(ConditionKind.Event, name[..^2] + ".x"));
        Assert.Equal(-1, match(ConditionKind.Event, name[..^1] + ".x"));
    }

    [Fact]
    public void Match_EventWithManySegments_FindsTheLongestGroup()
    {
        var value = string.Join('.', Enumerable.Repeat("a", 2000));
        var match = Build(Condition.EventGroup("a"), Condition.EventGroup(string.Join('.', Enumerable.Repeat("a", 300))), Condition.EventGroup("a.a.a"));

        Assert.Equal(1, match(ConditionKind.Event, value));
    }

    [Fact]
    public void Match_Function_MatchesTheExactNameOnly()
    {
        var match = Build(Condition.Function("preuserinfo"), Condition.Function("preaccesstoken"));

        Assert.Equal(0, match(ConditionKind.Function, "preuserinfo"));
        Assert.Equal(1, match(ConditionKind.Function, "preaccesstoken"));
        Assert.Equal(-1, match(ConditionKind.Function, "preuser"));
        Assert.Equal(-1, match(ConditionKind.Function, "preuserinfo2"));
        Assert.Equal(-1, match(ConditionKind.Function, "/preuserinfo"));
    }

    [Fact]
    public void Match_SameTextOfDifferentKinds_MatchesOnlyItsOwnKind()
    {
        var match = Build(Condition.Function("pkg.Svc"), Condition.Event("pkg.Svc"), Condition.ResponseService("pkg.Svc"));

        Assert.Equal(-1, match(ConditionKind.Request, "/pkg.Svc/M"));
        Assert.Equal(2, match(ConditionKind.Response, "/pkg.Svc/M"));
        Assert.Equal(1, match(ConditionKind.Event, "pkg.Svc"));
        Assert.Equal(0, match(ConditionKind.Function, "pkg.Svc"));
    }

    [Fact]
    public void Match_DuplicateConditions_TheFirstWins()
    {
        var match = Build(AllRequests, MethodRequest, Condition.RequestMethod("pkg.v1.Svc/Get"), AllRequests, Condition.EventGroup("a"), Condition.EventGroup("a.*"));

        Assert.Equal(1, match(ConditionKind.Request, "/pkg.v1.Svc/Get"));
        Assert.Equal(0, match(ConditionKind.Request, "/pkg.v1.Svc/List"));
        Assert.Equal(4, match(ConditionKind.Event, "a.b"));
    }

    [Fact]
    public void Match_EmptyValue_MatchesAllOrNothing()
    {
        var match = Build(AllRequests, Condition.AllEvents, Condition.Function("f"), MethodRequest, Condition.EventGroup("user"));

        Assert.Equal(0, match(ConditionKind.Request, string.Empty));
        Assert.Equal(-1, match(ConditionKind.Response, string.Empty));
        Assert.Equal(1, match(ConditionKind.Event, string.Empty));
        Assert.Equal(-1, match(ConditionKind.Function, string.Empty));
    }

    [Theory]
    [InlineData(ConditionKind.Request, "", 0)]
    [InlineData(ConditionKind.Request, "/", 0)]
    [InlineData(ConditionKind.Request, "//", 0)]
    [InlineData(ConditionKind.Request, "/S", 0)]
    [InlineData(ConditionKind.Request, "S", 0)]
    [InlineData(ConditionKind.Request, "/S/", 1)]
    [InlineData(ConditionKind.Request, "S/M", 2)]
    [InlineData(ConditionKind.Request, "//S/M", 0)]
    [InlineData(ConditionKind.Request, "user..x", 0)]
    [InlineData(ConditionKind.Event, "user..x", 3)]
    [InlineData(ConditionKind.Event, "user.", 3)]
    [InlineData(ConditionKind.Event, ".", 4)]
    [InlineData(ConditionKind.Event, ".user.x", 4)]
    [InlineData(ConditionKind.Event, "..", 4)]
    [InlineData(ConditionKind.Event, "/", 4)]
    [InlineData(ConditionKind.Event, "", 4)]
    [InlineData(ConditionKind.Function, "//", -1)]
    [InlineData(ConditionKind.Function, ".", -1)]
    public void Match_MalformedValue_FollowsTheRules(ConditionKind kind, string value, int expected)
    {
        var match = Build(AllRequests, Condition.RequestService("S"), Condition.RequestMethod("/S/M"), Condition.EventGroup("user"), Condition.AllEvents);

        Assert.Equal(expected, match(kind, value));
    }

    [Theory]
    [InlineData(ConditionKind.Request)]
    [InlineData(ConditionKind.Response)]
    [InlineData(ConditionKind.Event)]
    [InlineData(ConditionKind.Function)]
    public void Match_NoConditions_MatchesNothing(ConditionKind kind)
    {
        var match = Build();

        Assert.Equal(-1, match(kind, "/pkg.v1.Svc/Get"));
        Assert.Equal(-1, match(kind, "user.human.added"));
        Assert.Equal(-1, match(kind, string.Empty));
    }

    [Fact]
    public void Match_UnknownKind_MatchesNothing()
    {
        var match = Build(AllRequests, Condition.AllResponses, Condition.AllEvents);

        Assert.Equal(-1, match((ConditionKind)42, "/pkg.v1.Svc/Get"));
    }

    [Fact]
    public void Match_ValueLongerThanAnyCondition_MatchesByTheRules()
    {
        var longService = new string('s', 5000);
        var match = Build(AllRequests, Condition.AllEvents, Condition.EventGroup("user"));

        Assert.Equal(0, match(ConditionKind.Request, "/" + longService + "/M"));
        Assert.Equal(2, match(ConditionKind.Event, "user." + longService));
        Assert.Equal(1, match(ConditionKind.Event, longService + ".user"));
    }
}
