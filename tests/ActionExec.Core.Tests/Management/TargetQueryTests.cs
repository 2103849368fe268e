using ActionExec.Management;

namespace ActionExec.Tests.Management;

/// <summary>A target query's defaults and its filters' value semantics (HTTP and gRPC callers compare and hash them).</summary>
public sealed class TargetQueryTests
{
    [Fact]
    public void New_Defaults_AreEveryTargetNewestFirstOnTheDefaultPage()
    {
        var query = new TargetQuery();

        Assert.False(query.Filters.IsDefault);
        Assert.Empty(query.Filters);
        Assert.Equal(TargetQuery.SortField.CreationDate, query.SortingColumn);
        Assert.False(query.Ascending);
        Assert.Equal((0L, 0), (query.Offset, query.Limit));
    }

    [Fact]
    public void ByName_SameTextAndMethod_AreEqualWithEqualHashes()
    {
        var a = TargetQuery.Filter.ByName("hook", TextFilterMethod.StartsWith);
        var b = TargetQuery.Filter.ByName("hook", TextFilterMethod.StartsWith);

        Assert.True(a.IsNameFilter);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void ByName_DefaultMethod_IsExact()
    {
        Assert.Equal(TextFilterMethod.Exact, TargetQuery.Filter.ByName("hook").Method);
    }

    [Theory]
    [InlineData("Hook", TextFilterMethod.StartsWith)]
    [InlineData("hook", TextFilterMethod.Contains)]
    public void ByName_OtherTextOrMethod_AreNotEqual(string name, TextFilterMethod method)
    {
        Assert.NotEqual(TargetQuery.Filter.ByName("hook", TextFilterMethod.StartsWith), TargetQuery.Filter.ByName(name, method));
    }

    [Fact]
    public void ByIds_SameIdsInOrder_AreEqualWithEqualHashes()
    {
        var a = TargetQuery.Filter.ByIds(["1", "2"]);
        var b = TargetQuery.Filter.ByIds(new List<string> { "1", "2" });

        Assert.False(a.IsNameFilter);
        Assert.Null(a.Name);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("1,3")]
    [InlineData("2,1")]
    [InlineData("1")]
    public void ByIds_OtherIds_AreNotEqual(string ids)
    {
        Assert.NotEqual(TargetQuery.Filter.ByIds(["1", "2"]), TargetQuery.Filter.ByIds(ids.Split(',')));
    }

    [Fact]
    public void Filter_NameFilterAndIdFilter_AreNotEqual()
    {
        var byName = TargetQuery.Filter.ByName("1");
        var byIds = TargetQuery.Filter.ByIds(["1"]);

        Assert.True(byName.TargetIds.IsDefault);
        Assert.NotEqual(byName, byIds);
        Assert.NotEqual(byIds, byName);
        Assert.False(byName.Equals(null));
    }

    [Fact]
    public void Factories_NullArgument_ThrowNamingIt()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => TargetQuery.Filter.ByName(null!)).ParamName);
        Assert.Equal("targetIds", Assert.Throws<ArgumentNullException>(() => TargetQuery.Filter.ByIds(null!)).ParamName);
    }
}
