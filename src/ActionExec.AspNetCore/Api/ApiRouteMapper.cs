using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActionExec.AspNetCore;

/// <summary>Where the management API's route list is mapped, and how: the route builder, a wrapper around each handler, and a display-name prefix.</summary>
/// <param name="Routes">The builder the routes are added to.</param>
/// <param name="Wrap">Wraps each handler, such as the dashboard's gate; the identity at the root.</param>
/// <param name="DisplayNamePrefix">Prefixes each endpoint's display name.</param>
internal sealed record ApiRouteMapper(IEndpointRouteBuilder Routes, Func<RequestDelegate, RequestDelegate> Wrap, string DisplayNamePrefix);
