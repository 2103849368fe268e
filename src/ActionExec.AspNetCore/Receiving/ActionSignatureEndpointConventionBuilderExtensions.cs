using ActionExec.AspNetCore.Receiving;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Marks the endpoints of a service that is someone's action target, so that they accept only verified deliveries.</summary>
public static class ActionSignatureEndpointConventionBuilderExtensions
{
    private const string TokenContentType = "application/jwt";

    /// <summary>
    /// Verifies every request to the endpoints of <paramref name="builder"/> with the default receiver (see
    /// <c>AddActionReceiver</c>) before the endpoint runs: buffers the body (413 beyond the limit), verifies the signature over
    /// its exact bytes, rejects a stale or replayed delivery and one that is not JSON, each with a problem body naming what failed
    /// (401, or 400 for the payload). The endpoint then reads the payload as its body and the <see cref="ActionDelivery"/> as a
    /// parameter or request feature. Works for minimal APIs, route groups and controllers.
    /// </summary>
    /// <typeparam name="TBuilder">The convention builder type.</typeparam>
    /// <param name="builder">The endpoint, group or controller builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <remarks>
    /// When the endpoints are built, an <see cref="InvalidOperationException"/> names the fix if no receiver of that name was
    /// registered.
    /// </remarks>
    public static TBuilder RequireActionSignature<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireActionSignature(Microsoft.Extensions.Options.Options.DefaultName);

    /// <summary>
    /// Verifies every request to the endpoints of <paramref name="builder"/> with the receiver <paramref name="receiverName"/>, as
    /// <see cref="RequireActionSignature{TBuilder}(TBuilder)"/> does with the default one.
    /// </summary>
    /// <typeparam name="TBuilder">The convention builder type.</typeparam>
    /// <param name="builder">The endpoint, group or controller builder.</param>
    /// <param name="receiverName">The name given to <c>AddActionReceiver</c>; empty for the default receiver.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="receiverName"/> is null.</exception>
    public static TBuilder RequireActionSignature<TBuilder>(this TBuilder builder, string receiverName)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(receiverName);

        // Wrapping the endpoint's delegate after every other convention puts the check before parameter binding, so a handler
        // binding its body or the ActionDelivery only ever sees a verified delivery, and nothing depends on a middleware's order.
        builder.Finally(endpoint =>
        {
            var inner = endpoint.RequestDelegate
                ?? throw new InvalidOperationException($"The endpoint {endpoint.DisplayName} has no request delegate to protect with RequireActionSignature.");
            var names = endpoint.ApplicationServices.GetService<ActionReceiverNames>();
            if (names is null || !names.Names.Contains(receiverName))
            {
                var which = receiverName.Length == 0 ? "the default action receiver" : $"the action receiver '{receiverName}'";
                var call = receiverName.Length == 0 ? "services.AddActionReceiver(o => o.SigningKeys.Add(…))" : $"services.AddActionReceiver(\"{receiverName}\", o => o.SigningKeys.Add(…))";
                throw new InvalidOperationException($"The endpoint {endpoint.DisplayName} requires an action signature from {which}, which is not registered; call {call}.");
            }

            var receivers = endpoint.ApplicationServices.GetRequiredService<ActionReceivers>();
            endpoint.Metadata.Add(new ActionReceiverMetadata(receiverName));

            // A handler that binds its body accepts JSON only, and routing answers 415 before the check runs; a JWT or JWE
            // delivery arrives as application/jwt and reaches the handler as the JSON of its claims.
            if (endpoint.Metadata.OfType<IAcceptsMetadata>().LastOrDefault() is { } accepts
                && !accepts.ContentTypes.Contains(TokenContentType, StringComparer.OrdinalIgnoreCase))
            {
                endpoint.Metadata.Add(new AcceptsMetadata([.. accepts.ContentTypes, TokenContentType], accepts.RequestType, accepts.IsOptional));
            }

            endpoint.RequestDelegate = context => receivers.HandleAsync(receiverName, context, inner);
        });
        return builder;
    }
}
