using System.Net;
using System.Text.Json.Nodes;

namespace ActionExec.Samples.Tests.Support;

/// <summary>Asserts the error body of spec §10: its status, content type, code, message and field violations.</summary>
public static class ErrorAssert
{
    /// <summary>Asserts an error with exactly this status, code and message; returns the body.</summary>
    public static async Task<JsonObject> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code, string message)
    {
        var body = await BodyAsync(response, status, code);
        Assert.Equal(message, (string?)body["message"]);
        return body;
    }

    /// <summary>Asserts the status, the JSON content type and the code, and that the body has no more than code, message and details.</summary>
    public static async Task<JsonObject> BodyAsync(HttpResponseMessage response, HttpStatusCode status, int code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, (int)body["code"]!);
        Assert.All(body, p => Assert.Contains(p.Key, new[] { "code", "message", "details" }));
        return body;
    }

    /// <summary>The field violations of the body's <c>google.rpc.BadRequest</c> detail, in order.</summary>
    public static IReadOnlyList<(string Field, string Description)> Violations(JsonObject error)
    {
        if (error["details"] is not JsonArray details)
        {
            return [];
        }

        var detail = Assert.Single(details)!.AsObject();
        Assert.Equal("type.googleapis.com/google.rpc.BadRequest", (string?)detail["@type"]);
        return [.. detail["fieldViolations"]!.AsArray().Select(v => ((string)v!["field"]!, (string)v["description"]!))];
    }
}
