
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddActionExecutions</c>; its extension methods add and replace parts (store, catalog, permissions, invokers).</summary>
public interface IActionExecutionsBuilder
{
    /// <summary>The service collection the parts are registered in.</summary>
    IServiceCollection Services { get; }
}
