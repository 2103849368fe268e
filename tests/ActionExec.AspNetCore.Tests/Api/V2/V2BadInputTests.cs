using System.Net;
using System.Text.Json.Nodes;
using ActionExec.AspNetCore.Tests.Support;

namespace ActionExec.AspNetCore.Tests.Api.V2;

/// <summary>The GA routes answer bad bodies as the other routes do: a 4xx error body naming the problem, never a 500, and nothing changes.</summary>
public sealed class V2BadInputTests
{
    /// <summary>Bodies that are not what any GA route takes: not JSON, wrong JSON types, numbers out of range, unpaired surrogates, deep nesting.</summary>
    public static TheoryData<string> Bodies => new()
    {
        "{not json",
        "null",
        "[]",
        "\"text\"",
        "42",
        "{\"filters\":{}}",
        "{\"filters\":[{\"targetNameFilter\":[]}]}",
        "{\"filters\":[{\"inConditionsFilter\":{\"conditions\":[{}]}}]}",
        "{\"filters\":[{\"inTargetIdsFilter\":{\"targetIds\":[1]}}]}",
        "{\"filters\":[{\"executionTypeFilter\":{\"executionType\":99999999999}}]}",
        "{\"pagination\":{\"limit\":1e3}}",
        "{\"pagination\":{\"offset\":-1}}",
        "{\"pagination\":{\"offset\":\"18446744073709551616\"}}",
        "{\"pagination\":{\"asc\":\"yes\"}}",
        "{\"sortingColumn\":-1}",
        "{\"sortingColumn\":true}",
        "{\"sortingColumn\":\"\"}",
        "{\"targets\":[1]}",
        "{\"targets\":\"t1\"}",
        "{\"condition\":{\"request\":{\"method\":\"\\uD800\"}}}",
        "{\"name\":\"\\uDC00\"}",
        "{\"timeout\":\"-5s\"}",
        "{\"timeout\":\"99999999999999999999s\"}",
        "{\"payloadType\":[]}",
        "{\"payloadType\":2147483648}",
        "{\"expirationSigningKey\":\"abc\"}",
        "{\"restCall\":{\"interruptOnError\":\"true\"}}",
        new string('[', 300) + new string(']', 300),
        "{\"condition\":" + string.Concat(Enumerable.Repeat("{\"request\":", 100)) + "{}" + new string('}', 101),
    };

    [Theory]
    [InlineData("POST", "/v2/actions/targets")]
    [InlineData("POST", "/v2/actions/targets/{id}")]
    [InlineData("PUT", "/v2/actions/executions")]
    [InlineData("POST", "/v2/actions/targets/search")]
    [InlineData("POST", "/v2/actions/executions/search")]
    public async Task Route_BadBodies_AnswerAnErrorBodyNeverA500AndChangeNothing(string method, string route)
    {
        await using var host = await ApiHost.StartAsync();
        var id = await V2TargetsApiTests.CreateAsync(host, "hook");
        var before = await StateAsync(host);
        var path = route.Replace("{id}", id, StringComparison.Ordinal);

        foreach (var body in Bodies)
        {
            using var response = await host.SendAsync(new HttpMethod(method), path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{body} → {(int)response.StatusCode}: {text}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var error = JsonNode.Parse(text)!.AsObject();
                Assert.True((int)error["code"]! is 3 or 5, $"{body} → {text}");
                Assert.False(string.IsNullOrEmpty((string?)error["message"]), text);
            }
        }

        Assert.Equal(before, await StateAsync(host));
    }

    private static async Task<string> StateAsync(ApiHost host)
    {
        using var targets = await host.SendAsync(HttpMethod.Post, "/v2/actions/targets/search", "{}");
        using var executions = await host.SendAsync(HttpMethod.Post, "/v2/actions/executions/search", "{}");
        return await targets.Content.ReadAsStringAsync() + await executions.Content.ReadAsStringAsync();
    }
}
