using ActionExec.Dispatch;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore;

/// <summary>The delegates registered with <c>ConfigureFlowContext</c>, applied in order by <see cref="HttpFlowContextFactory"/>.</summary>
internal sealed class FlowContextConfigurations
{
    public List<Func<HttpContext, FlowContext, CancellationToken, ValueTask<FlowContext>>> Configure { get; } = [];
}
