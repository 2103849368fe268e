using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ActionExec.AspNetCore.Tests.Support;
using static ActionExec.AspNetCore.Tests.Support.ErrorAssert;

namespace ActionExec.AspNetCore.Tests.Http;

/// <summary>How the API reads bodies: every failure is a 4xx with the error body, never a 500.</summary>
public sealed class HttpJsonTests
{
    private const string ValidExecution = """{"condition":{"request":{"all":true}}}""";

    /// <summary>Every route that takes a body; <c>{id}</c> is replaced by a real target id.</summary>
    public static TheoryData<string, string> BodyRoutes => new()
    {
        { "PUT", "/v2beta/actions/executions" },
        { "PUT", "/v3alpha/executions" },
        { "POST", "/v2beta/actions/targets" },
        { "PATCH", "/v2beta/actions/targets/{id}" },
    };

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task ReadBody_MalformedJson_Answers400WithThePosition(string method, string path)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), await PathAsync(host, path), "{");

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        var violation = Assert.Single(Violations(error));
        Assert.StartsWith("The body is not valid JSON at line 1, byte ", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PUT", "/v2beta/actions/executions", """{"condition":{"request":{"all":true}},"foo":1}""", "foo", "The property 'foo' is not known here; use 'condition' or 'targets'.")]
    [InlineData("PUT", "/v3alpha/executions", """{"condition":{"request":{"all":true,"x":1}}}""", "condition.request.x", "The property 'x' is not known here; use 'method', 'service' or 'all'.")]
    [InlineData("POST", "/v2beta/actions/targets", """{"name":"a","expirationSigningKey":"1s"}""", "expirationSigningKey", null)]
    [InlineData("PATCH", "/v2beta/actions/targets/{id}", """{"nmae":"a"}""", "nmae", null)]
    public async Task ReadBody_UnknownProperty_Answers400NamingIt(string method, string path, string body, string field, string? description)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), await PathAsync(host, path), body);

        var error = await BodyAsync(response, HttpStatusCode.BadRequest, 3);
        var violation = Assert.Single(Violations(error));
        Assert.Equal(field, violation.Field);
        Assert.StartsWith($"The property '{field.Split('.')[^1]}' is not known here; use ", violation.Description, StringComparison.Ordinal);
        if (description is not null)
        {
            Assert.Equal(description, violation.Description);
        }
    }

    [Theory]
    [InlineData("PUT", "/v2beta/actions/executions", """{"condition":"request"}""", "condition", "The property 'condition' must be a JSON object.")]
    [InlineData("PUT", "/v3alpha/executions", """{"condition":{"request":{"all":true}},"targets":"t1"}""", "targets", "The property 'targets' must be a JSON array.")]
    [InlineData("POST", "/v2beta/actions/targets", """{"name":5}""", "name", "The property 'name' must be a string.")]
    [InlineData("PATCH", "/v2beta/actions/targets/{id}", """[]""", "", "The body must be a JSON object.")]
    public async Task ReadBody_WrongJsonType_Answers400NamingTheProperty(string method, string path, string body, string field, string description)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), await PathAsync(host, path), body);

        await InvalidAsync(response, HttpStatusCode.BadRequest, (field, description));
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task ReadBody_Empty_Answers400(string method, string path)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), await PathAsync(host, path), "");

        await InvalidAsync(response, HttpStatusCode.BadRequest, ("", "The body is empty; send a JSON object."));
    }

    [Fact]
    public async Task ReadBody_NoBodyAtAll_Answers400()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Put, "/v2beta/actions/executions", body: null);

        await InvalidAsync(response, HttpStatusCode.BadRequest, ("", "The body is empty; send a JSON object."));
    }

    [Fact]
    public async Task ReadBody_InvalidUtf8_Answers400()
    {
        await using var host = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v2beta/actions/executions")
        {
            Content = new ByteArrayContent([0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestAuthenticationHandler.Admin);

        using var response = await host.Client.SendAsync(request);

        await InvalidAsync(response, HttpStatusCode.BadRequest, ("", "The body is not valid UTF-8; send JSON encoded as UTF-8."));
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task ReadBody_NotJsonContentType_Answers415Code3(string method, string path)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), await PathAsync(host, path), ValidExecution, contentType: "text/plain; charset=utf-8");

        await ErrorAsync(
            response,
            HttpStatusCode.UnsupportedMediaType,
            3,
            "The Content-Type 'text/plain; charset=utf-8' is not supported; send the body as JSON with 'Content-Type: application/json'.");
    }

    [Fact]
    public async Task ReadBody_NoContentType_Answers415Code3()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Put, "/v2beta/actions/executions", ValidExecution, contentType: null);

        await ErrorAsync(
            response,
            HttpStatusCode.UnsupportedMediaType,
            3,
            "The request has a body but no Content-Type; send the body as JSON with 'Content-Type: application/json'.");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=UTF-8")]
    public async Task ReadBody_JsonContentType_IsAccepted(string contentType)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Put, "/v2beta/actions/executions", ValidExecution, contentType: contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ReadBody_TenMebibytes_Answers413Code3()
    {
        await using var host = await ApiHost.StartAsync();
        var body = "{\"name\":\"" + new string('a', 10 * 1024 * 1024) + "\"}";

        using var response = await host.SendAsync(HttpMethod.Post, "/v2beta/actions/targets", body);

        await ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, 3, "The body is larger than 1048576 bytes, the limit ActionExec sets with ActionExecutionsApiOptions.MaxRequestBodyBytes; send a body of at most 1048576 bytes.");
    }

    [Fact]
    public async Task ReadBody_ChunkedOverTheLimit_Answers413Code3()
    {
        await using var host = await ApiHost.StartAsync(api: o => o.MaxRequestBodyBytes = 64);
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v2beta/actions/executions")
        {
            // A stream of unknown length is sent chunked: the limit must hold while reading, not only against Content-Length.
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"condition\":{\"event\":{\"event\":\"" + new string('a', 200) + "\"}}}"))),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestAuthenticationHandler.Admin);

        using var response = await host.Client.SendAsync(request);

        await ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, 3, "The body is larger than 64 bytes, the limit ActionExec sets with ActionExecutionsApiOptions.MaxRequestBodyBytes; send a body of at most 64 bytes.");
    }

    [Fact]
    public async Task ReadBody_AtTheLimit_IsRead()
    {
        var body = """{"condition":{"event":{"all":true}}}""";
        await using var host = await ApiHost.StartAsync(api: o => o.MaxRequestBodyBytes = Encoding.UTF8.GetByteCount(body));

        using var response = await host.SendAsync(HttpMethod.Put, "/v2beta/actions/executions", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> PathAsync(ApiHost host, string path)
    {
        if (!path.Contains("{id}", StringComparison.Ordinal))
        {
            return path;
        }

        var (id, _) = await host.CreateTargetAsync("existing");
        return path.Replace("{id}", id, StringComparison.Ordinal);
    }
}
