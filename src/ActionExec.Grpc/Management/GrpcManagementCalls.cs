using ActionExec.AspNetCore;
using ActionExec.AspNetCore.Wire;
using ActionExec.Catalog;
using ActionExec.Errors;
using ActionExec.Grpc.Errors;
using ActionExec.Management;
using Google.Protobuf.Collections;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ActionExec.Grpc.Management;

/// <summary>
/// What every gRPC management method does around its call: the caller from the call's <c>HttpContext</c>, exactly as the HTTP
/// API makes it (<see cref="HttpManagementCaller"/>), and every failure as a gRPC status — an <see cref="ActionExecException"/>
/// with its own code and violations, anything unexpected as <c>INTERNAL</c> with a generic message (logged, without the request).
/// The calls themselves go to the registered <see cref="IActionManagement"/> (directly, or through <see cref="ManagementJsonCalls"/>
/// for the input the JSON API reads with the same rules), so REST, gRPC and gRPC-Web share one implementation.
/// </summary>
internal sealed partial class GrpcManagementCalls
{
    private readonly IActionTenantResolver _tenants;
    private readonly ILogger _logger;

    public GrpcManagementCalls(
        IActionManagement management,
        ManagementJsonCalls json,
        ActionCatalog catalog,
        IActionTenantResolver tenants,
        ILogger<GrpcManagementCalls> logger)
    {
        Management = management;
        Json = json;
        Catalog = catalog;
        _tenants = tenants;
        _logger = logger;
    }

    /// <summary>The one management implementation.</summary>
    public IActionManagement Management { get; }

    /// <summary>The calls whose input is read with the rules of the JSON API.</summary>
    public ManagementJsonCalls Json { get; }

    /// <summary>What exists in the host, for the discovery methods.</summary>
    public ActionCatalog Catalog { get; }

    /// <summary>Runs one management call for the caller of <paramref name="context"/>.</summary>
    /// <typeparam name="T">The response message.</typeparam>
    /// <param name="context">The call.</param>
    /// <param name="call">The call, given the caller and the call's cancellation.</param>
    /// <returns>The response.</returns>
    /// <exception cref="RpcException">The call failed; its status is the error's.</exception>
    public async Task<T> RunAsync<T>(ServerCallContext context, Func<ManagementCaller, CancellationToken, ValueTask<T>> call)
    {
        var cancellationToken = context.CancellationToken;
        try
        {
            var caller = await HttpManagementCaller.ResolveAsync(_tenants, context.GetHttpContext(), cancellationToken).ConfigureAwait(false);
            return await call(caller, cancellationToken).ConfigureAwait(false);
        }
        catch (ActionExecException error)
        {
            throw GrpcErrors.ToRpcException(error);
        }
        catch (Exception exception) when (exception is not RpcException && !cancellationToken.IsCancellationRequested)
        {
            LogUnexpected(exception, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "The actions API failed unexpectedly; the failure is logged on the server."));
        }
    }

    /// <summary>
    /// Answers a discovery method (<c>ListExecutionFunctions</c>, <c>ListExecutionMethods</c>, <c>ListExecutionServices</c>) of any
    /// version: the names from the catalog in the response's one repeated field, for a caller resolved as for every other call.
    /// </summary>
    /// <typeparam name="T">The response message.</typeparam>
    /// <param name="context">The call.</param>
    /// <param name="names">The names, from the catalog (<see cref="CatalogNames"/>).</param>
    /// <param name="field">The response's repeated field the names go into.</param>
    /// <returns>The response.</returns>
    /// <exception cref="RpcException">The call failed; its status is the error's.</exception>
    public Task<T> ListNamesAsync<T>(ServerCallContext context, Func<ActionCatalog, IEnumerable<string>> names, Func<T, RepeatedField<string>> field)
        where T : new() =>
        RunAsync(context, (_, _) =>
        {
            var response = new T();
            field(response).AddRange(names(Catalog));
            return ValueTask.FromResult(response);
        });

    [LoggerMessage(EventId = 8501, Level = LogLevel.Error, Message = "The gRPC actions API failed unexpectedly in {Method}; the client was answered with INTERNAL.")]
    private partial void LogUnexpected(Exception exception, string method);
}
