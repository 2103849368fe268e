using ActionExec.Catalog;
using ActionExec.Conditions;
using ActionExec.Tests.Errors;

namespace ActionExec.Tests.Catalog;

public sealed class ActionCatalogBuilderTests
{
    [Fact]
    public void Build_InvalidValues_FailsListingEveryViolationWithItsPosition()
    {
        var builder = new ActionCatalogBuilder()
            .AddMethods("/pkg.Svc/M", "pkg.Svc")
            .AddEvents("user..added", "user.*")
            .AddFunctions("ok", "", "bad name");

        var exception = InvalidArgumentAssert.Throws(() => builder.Build());

        Assert.Collection(
            exception.Violations,
            v => InvalidArgumentAssert.Is(v, "catalog.methods[1]", "The method 'pkg.Svc' has no method segment"),
            v => InvalidArgumentAssert.Is(v, "catalog.events[0]", "The event 'user..added' has an empty dot-segment"),
            v => InvalidArgumentAssert.Is(v, "catalog.events[1]", "The event 'user.*' contains '*'"),
            v => InvalidArgumentAssert.Is(v, "catalog.functions[1]", "The function name must not be empty"),
            v => InvalidArgumentAssert.Is(v, "catalog.functions[2]", "The function name 'bad name' contains whitespace"));
        Assert.StartsWith("The input has 5 problems. catalog.methods[1]: ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NullValue_FailsAtItsPosition()
    {
        var builder = new ActionCatalogBuilder().AddEvents("a.b", null!);

        InvalidArgumentAssert.Single(() => builder.Build(), "catalog.events[1]", "The event must not be empty");
    }

    [Fact]
    public void Build_MethodOverTheLimit_IsRejectedLikeACondition()
    {
        var builder = new ActionCatalogBuilder().AddMethods("pkg.Svc/" + new string('m', 992));

        InvalidArgumentAssert.Single(
            () => builder.Build(),
            "catalog.methods[0]",
            "has 1001 characters (counting the leading '/' that is restored); at most 1000 are allowed.");
    }

    [Fact]
    public void AddMethods_CalledTwice_AddsToTheSection()
    {
        var catalog = new ActionCatalogBuilder().AddMethods("/a/b").AddMethods("/c/d").Build();

        Assert.True(catalog.Contains(Condition.RequestMethod("/a/b")));
        Assert.True(catalog.Contains(Condition.RequestMethod("/c/d")));
    }

    [Fact]
    public void Build_AfterMoreValuesAreAdded_LeavesTheEarlierCatalogUnchanged()
    {
        var builder = new ActionCatalogBuilder().AddEvents("a.b");

        var first = builder.Build();
        var second = builder.AddEvents("c.d").Build();

        Assert.Equal(new[] { "a.b" }, first.EventTypes!.Value, StringComparer.Ordinal);
        Assert.Equal(new[] { "a.b", "c.d" }, second.EventTypes!.Value, StringComparer.Ordinal);
    }

    [Fact]
    public void Add_NullCollection_ThrowsArgumentNullException()
    {
        var builder = new ActionCatalogBuilder();

        Assert.Throws<ArgumentNullException>(() => builder.AddMethods(null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddEvents(null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddFunctions(null!));
    }
}
