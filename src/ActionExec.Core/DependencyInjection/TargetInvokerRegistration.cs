using ActionExec.Dispatch;

namespace ActionExec.DependencyInjection;

/// <summary>Records that an invoker claims a scheme; the registry is built from every registration.</summary>
internal sealed record TargetInvokerRegistration(string Scheme, Func<IServiceProvider, ITargetInvoker> Factory);
