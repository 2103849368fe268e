namespace ActionExec.DependencyInjection;

/// <summary>Registered once by <see cref="Microsoft.Extensions.DependencyInjection.ActionExecutionsBuilderExtensions.AddHttpTargets"/>, so that a second call adds no second claim of <c>http</c> and <c>https</c>.</summary>
internal sealed class HttpTargetsMarker
{
    public static readonly HttpTargetsMarker Instance = new();
}
