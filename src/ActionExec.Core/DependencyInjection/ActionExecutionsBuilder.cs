using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.DependencyInjection;

internal sealed class ActionExecutionsBuilder(IServiceCollection services) : IActionExecutionsBuilder
{
    public IServiceCollection Services { get; } = services;
}
