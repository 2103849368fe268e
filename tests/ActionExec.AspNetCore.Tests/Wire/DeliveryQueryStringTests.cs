using ActionExec.AspNetCore.Wire;
using ActionExec.Delivery;
using ActionExec.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class DeliveryQueryStringTests
{
    [Fact]
    public void Read_NoParameters_IsEverythingOnTheFirstPageOfTheDefaultSize()
    {
        var query = Read("");

        Assert.Equal(new DeliveryQuery(), query);
        Assert.Equal(0, query.Offset);
        Assert.Equal(DeliveryQuery.DefaultLimit, query.Limit);
    }

    [Fact]
    public void Read_EveryParameter_IsTheQuery()
    {
        var query = Read("?status=dead_lettered&targetId=t1&from=2024-12-18T07:50:47.492Z&to=2024-12-19T00:00:00%2B01:00&offset=20&limit=10");

        Assert.Equal(DeliveryStatus.DeadLettered, query.Status);
        Assert.Equal("t1", query.TargetId);
        Assert.Equal(new DateTimeOffset(2024, 12, 18, 7, 50, 47, 492, TimeSpan.Zero), query.From);
        Assert.Equal(new DateTimeOffset(2024, 12, 18, 23, 0, 0, TimeSpan.Zero), query.To);
        Assert.Equal(20, query.Offset);
        Assert.Equal(10, query.Limit);
    }

    [Theory]
    [InlineData("pending", DeliveryStatus.Pending)]
    [InlineData("delivered", DeliveryStatus.Delivered)]
    [InlineData("dead_lettered", DeliveryStatus.DeadLettered)]
    [InlineData("DELIVERY_STATUS_PENDING", DeliveryStatus.Pending)]
    [InlineData("DELIVERY_STATUS_DELIVERED", DeliveryStatus.Delivered)]
    [InlineData("DELIVERY_STATUS_DEAD_LETTERED", DeliveryStatus.DeadLettered)]
    public void Read_Status_TakesTheShortAndTheWireNames(string text, DeliveryStatus status)
    {
        Assert.Equal(status, Read("?status=" + text).Status);
    }

    [Fact]
    public void Read_OffsetArrivedAsASpace_IsReadAsPlus()
    {
        // An unencoded '+' in a URL is decoded as a space.
        Assert.Equal(new DateTimeOffset(2024, 12, 18, 6, 50, 47, TimeSpan.Zero), Read("?from=2024-12-18T07:50:47+01:00").From);
    }

    [Fact]
    public void Read_NegativeOffsetOrLimitOutOfRange_IsLeftToTheServiceToRefuse()
    {
        var query = Read("?offset=-1&limit=5000");

        Assert.Equal(-1, query.Offset);
        Assert.Equal(5000, query.Limit);
    }

    [Theory]
    [InlineData("?status=failed", "status", "The status 'failed' is not known; give pending, delivered or dead_lettered (or DELIVERY_STATUS_PENDING, DELIVERY_STATUS_DELIVERED, DELIVERY_STATUS_DEAD_LETTERED).")]
    [InlineData("?status=Pending", "status", "The status 'Pending' is not known; give pending, delivered or dead_lettered (or DELIVERY_STATUS_PENDING, DELIVERY_STATUS_DELIVERED, DELIVERY_STATUS_DEAD_LETTERED).")]
    [InlineData("?status=", "status", "The query parameter 'status' is empty; give pending, delivered or dead_lettered.")]
    [InlineData("?targetId=", "targetId", "The query parameter 'targetId' is empty; give the id of a target, or leave the parameter out.")]
    [InlineData("?from=yesterday", "from", "The time 'yesterday' is not valid; give an RFC 3339 time such as 2024-12-18T07:50:47.492Z (a '+' offset written as %2B).")]
    [InlineData("?to=2024-12-18", "to", "The time '2024-12-18' is not valid; give an RFC 3339 time such as 2024-12-18T07:50:47.492Z (a '+' offset written as %2B).")]
    [InlineData("?offset=ten", "offset", "The offset 'ten' is not a whole number; give how many deliveries to skip, such as offset=100.")]
    [InlineData("?limit=1.5", "limit", "The limit '1.5' is not a whole number; give the page size from 1 to 1000, such as limit=100.")]
    [InlineData("?limit=99999999999", "limit", "The limit '99999999999' is not a whole number; give the page size from 1 to 1000, such as limit=100.")]
    [InlineData("?limit=1&limit=2", "limit", "The query parameter 'limit' is given 2 times; give it once.")]
    [InlineData("?stauts=pending", "stauts", "The query parameter is not known; use status, targetId, from, to, offset, limit.")]
    public void Read_BadParameter_FailsNamingItAndTheExpectedForm(string queryString, string field, string description)
    {
        var error = Assert.Throws<ActionExecException>(() => Read(queryString));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal([(field, description)], error.Violations.Select(v => (v.Field, v.Description)));
    }

    [Fact]
    public void Read_SeveralBadParameters_ListsEveryOne()
    {
        var error = Assert.Throws<ActionExecException>(() => Read("?status=x&from=y&limit=z&page=2"));

        Assert.Equal(["page", "status", "from", "limit"], error.Violations.Select(v => v.Field));
    }

    private static DeliveryQuery Read(string queryString) => DeliveryQueryString.Read(new QueryCollection(QueryHelpers.ParseQuery(queryString)));
}
