using System.Collections.ObjectModel;
using System.Text.Json;

namespace ActionExec.TestConsole;

/// <summary>
/// A synthetic request for the action test console: an HTTP method, the URI fragments, query parameters and
/// headers as maps, and a JSON body. The target receives it as
/// <c>{"method", "uriFragments": {…}, "parameters": {…}, "headers": {…}, "body": …}</c>.
/// </summary>
/// <remarks>
/// The HTTP API's JSON form gives the three maps as URL-encoded strings, as Fusio does, and reads its body into this type.
/// </remarks>
public sealed record ConsoleRequest
{
    /// <summary>The HTTP method: exactly one of <c>GET</c>, <c>POST</c>, <c>PUT</c>, <c>PATCH</c> or <c>DELETE</c>.</summary>
    public required string Method { get; init; }

    /// <summary>
    /// The URI fragments (path parameters such as <c>id</c>), sent in this order. Names must not be empty; a null map
    /// counts as empty.
    /// </summary>
    public IReadOnlyDictionary<string, string> UriFragments { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The query parameters, sent in this order. Names must not be empty; a null map counts as empty.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>
    /// The request headers, sent in this order. Names are HTTP field names (RFC 9110 tokens) compared without regard to
    /// case: of two names that differ only in case, the first spelling and the last value are sent. Values may not contain
    /// CR, LF or NUL. A null map counts as empty.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>
    /// The body, any JSON value, sent as given (a JSON <c>null</c> included). Left at its default (a <see cref="JsonElement"/>
    /// whose <see cref="JsonElement.ValueKind"/> is <see cref="JsonValueKind.Undefined"/>), the body is the empty object <c>{}</c>.
    /// </summary>
    public JsonElement Body { get; init; }
}
