using ActionExec.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="RecordingTargetInvoker"/> in a host's own container, for tests that build the host themselves.</summary>
public static class RecordingTargetInvokerBuilderExtensions
{
    /// <summary>
    /// Registers <paramref name="invoker"/> for <c>test://</c> endpoints and, with <paramref name="includeHttp"/>, for <c>http</c>
    /// and <c>https</c> too, so that a host's real targets are answered by the script and nothing goes out to the network. It
    /// replaces earlier claims of those schemes. The invoker is also registered as itself, to be resolved by the test.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="invoker">The invoker.</param>
    /// <param name="includeHttp">Whether it also serves <c>http</c> and <c>https</c> endpoints.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="invoker"/> is null.</exception>
    public static IActionExecutionsBuilder UseRecordingTargetInvoker(this IActionExecutionsBuilder builder, RecordingTargetInvoker invoker, bool includeHttp = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(invoker);
        builder.Services.AddSingleton(invoker);
        builder.AddTargetInvoker(RecordingTargetInvoker.Scheme, invoker);
        if (includeHttp)
        {
            builder.AddTargetInvoker("http", invoker).AddTargetInvoker("https", invoker);
        }

        return builder;
    }
}
