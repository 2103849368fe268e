using ActionExec.Catalog;
using ActionExec.Conditions;

namespace ActionExec.Tests.Catalog;

public sealed class ActionCatalogTests
{
    private static readonly ActionCatalog Restricted = new ActionCatalogBuilder()
        .AddMethods("/pkg.v1.UserService/GetUser", "pkg.v1.UserService/ListUsers", "/pkg.v1.OrgService/GetOrg")
        .AddEvents("user.human.added", "org.added")
        .AddFunctions("preuserinfo")
        .Build();

    [Theory]
    [InlineData("request/pkg.v1.UserService/GetUser")]
    [InlineData("request/pkg.v1.UserService/ListUsers")]
    [InlineData("response/pkg.v1.OrgService/GetOrg")]
    [InlineData("request/pkg.v1.UserService")]
    [InlineData("response/pkg.v1.OrgService")]
    [InlineData("event/user.human.added")]
    [InlineData("event/org.added")]
    [InlineData("event/user.human.*")]
    [InlineData("event/user.*")]
    [InlineData("event/org.*")]
    [InlineData("function/preuserinfo")]
    public void Contains_RegisteredOrDerived_IsTrue(string id)
    {
        Assert.True(Restricted.Contains(Condition.Parse(id)));
    }

    [Theory]
    [InlineData("request/pkg.v1.UserService/DeleteUser")]
    [InlineData("request/pkg.v1.UserServiceV2/GetUser")]
    [InlineData("request/pkg.v1")]
    [InlineData("request/pkg.v1.UserServ")]
    [InlineData("response/pkg.v1.GetUser")]
    [InlineData("event/user.human.removed")]
    [InlineData("event/user.human")]
    [InlineData("event/user")]
    [InlineData("event/user.human.added.*")]
    [InlineData("event/user.hum.*")]
    [InlineData("event/org.added.*")]
    [InlineData("function/postuserinfo")]
    [InlineData("function/PreUserInfo")]
    public void Contains_Unknown_IsFalse(string id)
    {
        Assert.False(Restricted.Contains(Condition.Parse(id)));
    }

    [Theory]
    [InlineData("request")]
    [InlineData("response")]
    [InlineData("event")]
    public void Contains_All_IsAlwaysTrue(string id)
    {
        var empty = new ActionCatalogBuilder().AddMethods().AddEvents().AddFunctions().Build();

        Assert.True(empty.Contains(Condition.Parse(id)));
        Assert.True(Restricted.Contains(Condition.Parse(id)));
        Assert.True(ActionCatalog.Unrestricted.Contains(Condition.Parse(id)));
    }

    [Fact]
    public void Contains_EmptySection_AcceptsNothingOfItsKind()
    {
        var empty = new ActionCatalogBuilder().AddMethods().AddEvents().AddFunctions().Build();

        Assert.False(empty.Contains(Condition.RequestMethod("/a/b")));
        Assert.False(empty.Contains(Condition.RequestService("a")));
        Assert.False(empty.Contains(Condition.Event("a.b")));
        Assert.False(empty.Contains(Condition.EventGroup("a")));
        Assert.False(empty.Contains(Condition.Function("f")));
    }

    [Theory]
    [InlineData("request/any.Service/Any")]
    [InlineData("response/any.Service")]
    [InlineData("event/anything.at.all")]
    [InlineData("event/anything.*")]
    [InlineData("function/whatever")]
    public void Contains_Unrestricted_AcceptsEveryWellFormedCondition(string id)
    {
        Assert.True(ActionCatalog.Unrestricted.Contains(Condition.Parse(id)));
        Assert.True(new ActionCatalogBuilder().Build().Contains(Condition.Parse(id)));
    }

    [Fact]
    public void Contains_SectionNotFilled_AcceptsAnythingOfItsKindWhileOtherSectionsRestrict()
    {
        var methodsOnly = new ActionCatalogBuilder().AddMethods("/pkg.Svc/M").Build();

        Assert.True(methodsOnly.Contains(Condition.Event("any.event")));
        Assert.True(methodsOnly.Contains(Condition.EventGroup("any")));
        Assert.True(methodsOnly.Contains(Condition.Function("any")));
        Assert.False(methodsOnly.Contains(Condition.RequestMethod("/pkg.Svc/Other")));
        Assert.Null(methodsOnly.EventTypes);
        Assert.Null(methodsOnly.Functions);
    }

    [Fact]
    public void Sections_HoldTheNormalisedValuesOnce()
    {
        var catalog = new ActionCatalogBuilder()
            .AddMethods("pkg.Svc/M", "/pkg.Svc/M", "/pkg.Svc/N")
            .AddEvents("a.b", "a.b")
            .AddFunctions("f")
            .Build();

        Assert.Equal(new[] { "/pkg.Svc/M", "/pkg.Svc/N" }, catalog.Methods!.Value, StringComparer.Ordinal);
        Assert.Equal(new[] { "a.b" }, catalog.EventTypes!.Value, StringComparer.Ordinal);
        Assert.Equal(new[] { "f" }, catalog.Functions!.Value, StringComparer.Ordinal);
    }

    [Fact]
    public void Unrestricted_HasNoSections()
    {
        Assert.Null(ActionCatalog.Unrestricted.Methods);
        Assert.Null(ActionCatalog.Unrestricted.EventTypes);
        Assert.Null(ActionCatalog.Unrestricted.Functions);
    }

    [Fact]
    public void Contains_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => Restricted.Contains(null!));
    }

    [Theory]
    [InlineData("request/pkg.v1.UserService/DeleteUser", "condition does not exist: the method '/pkg.v1.UserService/DeleteUser' is not known to this host; check the spelling or register the method in the catalog.")]
    [InlineData("response/pkg.v2.UserService", "condition does not exist: the service 'pkg.v2.UserService' is not known to this host; check the spelling or register a method of that service in the catalog.")]
    [InlineData("event/user.human.removed", "condition does not exist: the event type 'user.human.removed' is not known to this host; check the spelling or register the event type in the catalog.")]
    [InlineData("event/user.machine.*", "condition does not exist: the event group 'user.machine' is not known to this host; check the spelling or register an event type below that group in the catalog.")]
    [InlineData("function/postuserinfo", "condition does not exist: the function 'postuserinfo' is not known to this host; check the spelling or register the function in the catalog.")]
    public void DescribeMissing_UnknownCondition_SaysConditionDoesNotExistAndNamesIt(string id, string expected)
    {
        var condition = Condition.Parse(id);

        Assert.False(Restricted.Contains(condition));
        Assert.Equal(expected, Restricted.DescribeMissing(condition));
    }

    [Fact]
    public void Joining_RestrictedMethods_AcceptsTheDeclaredMethodsAndTheirServices()
    {
        var joined = Restricted.Joining(new DeclaredMethods("/pkg.v1.TokenService/IssueToken"));

        Assert.True(joined.Contains(Condition.RequestMethod("/pkg.v1.TokenService/IssueToken")));
        Assert.True(joined.Contains(Condition.ResponseService("pkg.v1.TokenService")));
        Assert.True(joined.Contains(Condition.RequestMethod("/pkg.v1.UserService/GetUser")));
        Assert.False(joined.Contains(Condition.RequestMethod("/pkg.v1.TokenService/RevokeToken")));
        Assert.Equal(Restricted.Methods, joined.Methods);
    }

    [Fact]
    public void Joining_UnrestrictedMethods_StaysTheSameCatalog()
    {
        var eventsOnly = new ActionCatalogBuilder().AddEvents("user.added").Build();

        Assert.Same(eventsOnly, eventsOnly.Joining(new DeclaredMethods("/pkg.v1.TokenService/IssueToken")));
        Assert.Same(ActionCatalog.Unrestricted, ActionCatalog.Unrestricted.Joining(new DeclaredMethods("/pkg.v1.TokenService/IssueToken")));
        Assert.Same(Restricted, Restricted.Joining(null));
    }

    [Fact]
    public void Joining_EmptyMethodsSection_AcceptsOnlyTheDeclaredMethods()
    {
        var declared = new DeclaredMethods();
        var joined = new ActionCatalogBuilder().AddMethods().Build().Joining(declared);
        var method = Condition.RequestMethod("/pkg.v1.TokenService/IssueToken");
        var before = joined.Contains(method);

        declared.Set("/pkg.v1.TokenService/IssueToken");

        Assert.False(before);
        Assert.True(joined.Contains(method));
    }

    [Theory]
    [InlineData("/pkg.v1.TokenService/IssueToken", true)]
    [InlineData("pkg.v1.TokenService/IssueToken", true)]
    [InlineData("/pkg.v1.UserService/GetUser", true)]
    [InlineData("/pkg.v1.TokenService/RevokeToken", false)]
    public void Knows_RestrictedMethodsJoinedByDeclaredOnes_KnowsBothListsWithOrWithoutTheLeadingSlash(string name, bool known)
    {
        var joined = Restricted.Joining(new DeclaredMethods("/pkg.v1.TokenService/IssueToken"));

        Assert.Equal(known, joined.Knows(ConditionKind.Request, name));
        Assert.Equal(known, joined.Knows(ConditionKind.Response, name));
    }

    private sealed class DeclaredMethods(params string[] methods) : ICatalogMethodSource
    {
        public CatalogMethods Current { get; private set; } = CatalogMethods.Of(methods);

        public void Set(params string[] methods) => Current = CatalogMethods.Of(methods);
    }
}
