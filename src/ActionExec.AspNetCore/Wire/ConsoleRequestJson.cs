using System.Text.Json;
using ActionExec.TestConsole;
using ActionExec.Errors;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The body of the action test console (<c>POST /backend/action/execute/{action_id}</c>), in Fusio's format:
/// <c>{"method": "POST", "uriFragments": "id=1", "parameters": "page=2&amp;q=x", "headers": "Content-Type=application/json", "body": {…}}</c>.
/// The three maps are URL-encoded strings, as Fusio sends them; see <see cref="ActionExecJson.ReadConsoleRequest"/> for what is malformed.
/// </summary>
internal sealed record ConsoleRequestJson
{
    /// <summary>The HTTP method; required, one of <c>GET</c>, <c>POST</c>, <c>PUT</c>, <c>PATCH</c> or <c>DELETE</c>.</summary>
    public string? Method { get; init; }

    /// <summary>The URI fragments as <c>a=b&amp;c=d</c>; absent, null or empty is no fragments.</summary>
    public string? UriFragments { get; init; }

    /// <summary>The query parameters as <c>a=b&amp;c=d</c>; absent, null or empty is no parameters.</summary>
    public string? Parameters { get; init; }

    /// <summary>The headers as <c>Name=value&amp;Other=value</c>; absent, null or empty is no headers.</summary>
    public string? Headers { get; init; }

    /// <summary>The body, any JSON value; absent is <c>{}</c>, a JSON <c>null</c> is sent as <c>null</c>.</summary>
    public JsonElement Body { get; init; }

    /// <summary>Creates the typed request, adding every violation of the method and of the three strings; null when any was found.</summary>
    internal ConsoleRequest? ToModel(ViolationList violations)
    {
        ConsoleRequestRules.ValidateMethod(Method, violations);
        var uriFragments = UrlEncodedForm.Parse(UriFragments, ConsoleRequestRules.UriFragmentsField, violations);
        var parameters = UrlEncodedForm.Parse(Parameters, ConsoleRequestRules.ParametersField, violations);
        var headers = UrlEncodedForm.Parse(Headers, ConsoleRequestRules.HeadersField, violations);
        return violations.HasAny
            ? null
            : new ConsoleRequest { Method = Method!, UriFragments = uriFragments, Parameters = parameters, Headers = headers, Body = Body };
    }
}
