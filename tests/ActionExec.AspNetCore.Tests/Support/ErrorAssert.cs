using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ActionExec.AspNetCore.Tests.Support;

/// <summary>Asserts the error body of spec §10: its status, content type, code, message and field violations.</summary>
public static class ErrorAssert
{
    public const string BadRequestType = "type.googleapis.com/google.rpc.BadRequest";

    /// <summary>Asserts an error with exactly this status, code and message; returns the body.</summary>
    public static async Task<JsonObject> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code, string message)
    {
        var body = await BodyAsync(response, status, code);
        Assert.Equal(message, (string?)body["message"]);
        return body;
    }

    /// <summary>Asserts an error with this status and code 3 whose field violations are exactly <paramref name="violations"/>, in order.</summary>
    public static async Task<JsonObject> InvalidAsync(HttpResponseMessage response, HttpStatusCode status, params (string Field, string Description)[] violations)
    {
        var body = await BodyAsync(response, status, 3);
        Assert.Equal(violations, Violations(body));
        return body;
    }

    /// <summary>Asserts the status, the content type and the code, and that the body has no more than code, message and details.</summary>
    public static async Task<JsonObject> BodyAsync(HttpResponseMessage response, HttpStatusCode status, int code)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(bytes.Length, SentContentLength(response));
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, (int)body["code"]!);
        Assert.All(body, p => Assert.Contains(p.Key, new[] { "code", "message", "details" }));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return body;
    }

    /// <summary>The Content-Length header as sent; <see cref="HttpContentHeaders.ContentLength"/> would report the length of the buffered body instead.</summary>
    public static long? SentContentLength(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var values) ? long.Parse(values.ToString(), CultureInfo.InvariantCulture) : null;

    public static IReadOnlyList<(string Field, string Description)> Violations(JsonObject error)
    {
        if (error["details"] is not JsonArray details)
        {
            return [];
        }

        var detail = Assert.Single(details)!.AsObject();
        Assert.Equal(BadRequestType, (string?)detail["@type"]);
        return [.. detail["fieldViolations"]!.AsArray().Select(v => ((string)v!["field"]!, (string)v["description"]!))];
    }
}
