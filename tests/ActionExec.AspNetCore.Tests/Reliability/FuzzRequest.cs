namespace ActionExec.AspNetCore.Tests.Reliability;

/// <summary>One request of the bad-input run, with what it was made from.</summary>
/// <param name="Route">The route template it exercises, such as <c>PUT /v3alpha/executions</c>.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query, already encoded.</param>
/// <param name="Body">The exact body bytes; null for no body at all.</param>
/// <param name="ContentType">The Content-Type header, sent unvalidated; null for none.</param>
/// <param name="Chunked">Whether the body is sent chunked, without a Content-Length.</param>
/// <param name="Key">The bearer key of <c>TestAuthenticationHandler</c>; null for no credentials.</param>
/// <param name="Mutation">What was done to the valid request, for the failure message.</param>
/// <param name="MeantValid">Whether the generator built a valid request, which must then be accepted.</param>
/// <param name="ReadOnly">Whether the route never changes stored state, even when it accepts the request.</param>
internal sealed record FuzzRequest(
    string Route,
    HttpMethod Method,
    string Path,
    byte[]? Body,
    string? ContentType,
    bool Chunked,
    string? Key,
    string Mutation,
    bool MeantValid,
    bool ReadOnly)
{
    /// <summary>
    /// Whether Kestrel itself refuses the request before any middleware runs — a NUL in the path (not in the query) or in a
    /// header — and answers 400 with an empty body, which no code of the application can change.
    /// </summary>
    public bool RefusedByServer =>
        Path.Split('?')[0].Contains("%00", StringComparison.OrdinalIgnoreCase) || (ContentType?.Contains('\0', StringComparison.Ordinal) ?? false);

    public override string ToString()
    {
        var body = Body is null ? "(no body)"
            : Body.Length <= 300 ? Convert.ToHexString(Body.AsSpan()) + " = " + System.Text.Encoding.UTF8.GetString(Body)
            : $"({Body.Length} bytes) " + System.Text.Encoding.UTF8.GetString(Body.AsSpan(0, 300)) + "…";
        var path = Path.Length <= 300 ? Path : string.Concat(Path.AsSpan(0, 300), "…");
        return $"{Method} {path} [{Route}; {Mutation}; content type {ContentType ?? "(none)"}{(Chunked ? "; chunked" : "")}; key {Key ?? "(none)"}] {body}";
    }
}
