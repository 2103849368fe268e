using ActionExec.Payloads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the JSON Web Key Set that receivers of JWT and JWE payloads verify the host's signatures with.</summary>
public static class ActionExecutionsJwksEndpointRouteBuilderExtensions
{
    /// <summary>The default path of the key set.</summary>
    public const string DefaultPattern = "/.well-known/actionexec/jwks.json";

    /// <summary>
    /// Maps <c>GET <paramref name="pattern"/></c> to the public parts of the host's payload signing keys as a JSON Web Key Set
    /// (<c>{"keys": [{"kty", "use": "sig", "alg", "kid", …}]}</c>; never a private parameter), with
    /// <c>Cache-Control: public, max-age=300</c>. The key set is public: the endpoint allows anonymous callers.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder, such as the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route; by default <see cref="DefaultPattern"/>.</param>
    /// <returns>The endpoint's builder, to add conventions to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is null or empty.</exception>
    /// <exception cref="InvalidOperationException">No payload signing keys are registered: call <c>AddActionExecutions().AddPayloadSigningKeys(…)</c>.</exception>
    public static IEndpointConventionBuilder MapActionExecutionsJwks(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var keys = endpoints.ServiceProvider.GetService<IPayloadSigningKeyProvider>()
            ?? throw new InvalidOperationException(
                "No payload signing keys are registered; call services.AddActionExecutions().AddPayloadSigningKeys(…) before mapping their key set with MapActionExecutionsJwks().");

        var jwks = new PayloadJwks(keys);
        return endpoints.MapGet(pattern, (HttpContext context) => WriteAsync(context, jwks))
            .WithDisplayName("ActionExec payload JWKS")
            .AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext context, PayloadJwks jwks)
    {
        var json = jwks.Current();
        var response = context.Response;
        response.ContentType = PayloadJwks.ContentType;
        response.ContentLength = json.Length;

        // Long enough to spare the host, short enough that a rotation is seen within minutes; a receiver that meets an unknown kid
        // fetches the set again at once.
        response.Headers.CacheControl = "public, max-age=300";
        return response.Body.WriteAsync(json, context.RequestAborted).AsTask();
    }
}
