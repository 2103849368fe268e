using ActionExec.Conditions;
using ActionExec.TestConsole;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.AspNetCore.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActionExec.AspNetCore;

/// <summary>
/// The request handlers of the management API. Each one authenticates, resolves the tenant, reads its input without model
/// binding, calls the registered <see cref="IActionManagement"/> or <see cref="IActionTestConsole"/> (a host's replacement
/// included) and writes the wire format of <see cref="ActionExecJson"/>. Every failure is answered with the gRPC-gateway error
/// body: an <see cref="ActionExecException"/> with its own status, anything unexpected as code 13 with a generic message (and
/// logged, without the body).
/// </summary>
internal sealed partial class ActionExecutionsApiHandlers
{
    private const string KindHint = "give request, response, function or event, such as kind=request";

    private const string ValueHint = "give the full method, event type or function name to match, such as value=/pkg.v1.Service/Method";

    private readonly IActionManagement _management;
    private readonly ManagementJsonCalls _json;
    private readonly IActionTenantResolver _tenants;
    private readonly IOptionsMonitor<ActionExecutionsApiOptions> _options;
    private readonly string _limitName;
    private readonly ILogger _logger;

    public ActionExecutionsApiHandlers(
        IActionManagement management,
        ManagementJsonCalls json,
        IActionTenantResolver tenants,
        IOptionsMonitor<ActionExecutionsApiOptions> options,
        ILogger<ActionExecutionsApiHandlers> logger,
        ApiConfigurationSection? section = null)
    {
        _management = management;
        _json = json;
        _tenants = tenants;
        _options = options;
        _limitName = ApiConfigurationSection.Name(section, nameof(ActionExecutionsApiOptions.MaxRequestBodyBytes));
        _logger = logger;
    }

    private delegate ValueTask<byte[]> Handler(HttpContext context, ManagementCaller caller, CancellationToken cancellationToken);

    /// <summary><c>PUT /v2beta/actions/executions</c> → <c>{"setDate"}</c>.</summary>
    public Task SetExecutionV2Async(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var result = await SetExecutionAsync(http, caller, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteSetDateResponse(result.Details.ChangeDate);
    });

    /// <summary><c>PUT /v3alpha/executions</c> → <c>{"details": {"sequence", "changeDate", "resourceOwner"}}</c>.</summary>
    public Task SetExecutionV3Async(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var result = await SetExecutionAsync(http, caller, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteDetailsResponse(result.Details);
    });

    /// <summary><c>GET /v2beta/actions/executions</c> → the execution list.</summary>
    public Task ListExecutionsAsync(HttpContext context) => RunAsync(context, async (_, caller, cancellationToken) =>
    {
        var executions = await _management.ListExecutionsAsync(caller, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteExecutionList(executions, (ulong)executions.Length, (ulong)executions.Length);
    });

    /// <summary><c>GET /v2beta/actions/executions/match?kind=…&amp;value=…</c> → the explanation.</summary>
    public Task ExplainAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var violations = new List<FieldViolation>();
        var kindText = SingleQueryValue(http.Request.Query, "kind", KindHint, violations);
        var value = SingleQueryValue(http.Request.Query, "value", ValueHint, violations);
        var kind = ConditionKind.Request;
        if (kindText is not null && !TryParseKind(kindText, out kind))
        {
            violations.Add(new FieldViolation("kind", $"The kind '{Shorten(kindText)}' is not known; use request, response, function or event."));
        }

        if (violations.Count > 0)
        {
            throw ActionExecException.InvalidArgument(violations);
        }

        var explanation = await _management.ExplainAsync(caller, kind, value!, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteExplanation(explanation);
    });

    /// <summary><c>POST /v2beta/actions/targets</c> → <c>{"id", "creationDate", "signingKey"}</c>.</summary>
    public Task CreateTargetAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        var created = await _json.CreateTargetFromJsonAsync(caller, body, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteCreateTargetResponse(created.Target, created.SigningKey);
    });

    /// <summary><c>GET /v2beta/actions/targets</c> → the target list (never a key).</summary>
    public Task ListTargetsAsync(HttpContext context) => RunAsync(context, async (_, caller, cancellationToken) =>
    {
        var targets = await _management.ListTargetsAsync(caller, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteTargetList(targets, (ulong)targets.Length, (ulong)targets.Length);
    });

    /// <summary><c>GET /v2beta/actions/targets/{id}</c> → <c>{"target": {…}}</c> (never the key).</summary>
    public Task GetTargetAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var target = await _management.GetTargetAsync(caller, TargetId(http), cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteTargetResponse(target);
    });

    /// <summary><c>PATCH /v2beta/actions/targets/{id}</c> → <c>{"target": {…}}</c> after the change.</summary>
    public Task UpdateTargetAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var id = TargetId(http);
        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        var target = await _json.UpdateTargetFromJsonAsync(caller, id, body, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteTargetResponse(target);
    });

    /// <summary><c>POST /v2beta/actions/targets/{id}/signing-key</c> → <c>{"signingKey", "changeDate"}</c>.</summary>
    public Task RotateSigningKeyAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var rotated = await _management.RotateSigningKeyAsync(caller, TargetId(http), cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteSigningKeyResponse(rotated.Target, rotated.SigningKey);
    });

    /// <summary>
    /// <c>POST /backend/action/execute/{action_id}</c> → <c>{"statusCode", "headers", "body"}</c> (plus <c>trace</c> for a chain): the
    /// action test console. The answer is 200 whenever the console ran, whatever the target answered. An execution id is one path
    /// segment with its slashes encoded: <c>/backend/action/execute/request%2Fpkg.v1.Service%2FMethod</c>.
    /// </summary>
    public Task ExecuteActionAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        // The server decodes every escape of the path but %2F, which would otherwise split the segment: decoded here, the
        // canonical id of an execution reaches the console as it is written.
        var actionId = http.Request.RouteValues["action_id"] is string { Length: > 0 } id
            ? id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)
            : throw ActionExecException.InvalidArgument("action_id", "The action id is empty; give a target id, a target name or an execution id such as request/pkg.v1.Service/Method.");
        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        return await _json.ExecuteJsonAsync(caller, actionId, body, cancellationToken).ConfigureAwait(false);
    });

    /// <summary><c>DELETE /v2beta/actions/targets/{id}</c> → <c>{"deletionDate"}</c>.</summary>
    public Task DeleteTargetAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var details = await _management.DeleteTargetAsync(caller, TargetId(http), cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteDeleteTargetResponse(details.ChangeDate);
    });

    /// <summary>
    /// <c>GET /v2/actions/deliveries?status=…&amp;targetId=…&amp;from=…&amp;to=…&amp;offset=…&amp;limit=…</c> → a page of the delivery
    /// history, newest first, in the list wrapper.
    /// </summary>
    public Task ListDeliveriesAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var query = DeliveryQueryString.Read(http.Request.Query);
        var page = await _management.ListDeliveriesAsync(caller, query, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteDeliveryList(page, query.Limit);
    });

    /// <summary><c>GET /v2/actions/deliveries/{id}</c> → <c>{"delivery": {…}}</c> with its attempts.</summary>
    public Task GetDeliveryAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var delivery = await _management.GetDeliveryAsync(caller, DeliveryId(http), cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteDeliveryResponse(delivery);
    });

    /// <summary><c>POST /v2/actions/deliveries/{id}/replay</c> → <c>{"delivery": {…}}</c> as it stands after the replay: pending, due now.</summary>
    public Task ReplayDeliveryAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var delivery = await _management.ReplayDeliveryAsync(caller, DeliveryId(http), cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteDeliveryResponse(delivery);
    });

    /// <summary><c>POST /v2/actions/deliveries/replay</c> with <c>{"since", "targetId"}</c> → <c>{"replayed": n}</c>.</summary>
    public Task ReplayDeadLettersAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        var replayed = await _json.ReplayDeadLettersFromJsonAsync(caller, body, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteReplayDeadLettersResponse(replayed);
    });

    private async Task RunAsync(HttpContext context, Handler handler)
    {
        var aborted = context.RequestAborted;
        try
        {
            var caller = await AuthenticateAsync(context, aborted).ConfigureAwait(false);
            var json = await handler(context, caller, aborted).ConfigureAwait(false);
            await HttpJson.WriteAsync(context, json).ConfigureAwait(false);
        }
        catch (Exception exception) when (aborted.IsCancellationRequested)
        {
            // The client went away: nobody is left to answer.
            LogAborted(context.Request.Method, RouteOf(context), exception.GetType().Name);
        }
        catch (ActionExecException error)
        {
            await AnswerAsync(context, error).ConfigureAwait(false);
        }
        catch (BadHttpRequestException error)
        {
            // Kestrel's own limits and framing errors while the body is read.
            await AnswerAsync(context, error.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? HttpJson.TooLarge(_options.CurrentValue.MaxRequestBodyBytes, _limitName)
                : new ActionExecException(ActionExecErrorCode.InvalidArgument, $"The request body could not be read: {error.Message} Send a complete JSON body.")).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogUnexpected(exception, context.Request.Method, RouteOf(context));
            await AnswerAsync(context, HttpJson.Internal()).ConfigureAwait(false);
        }
    }

    private static async Task AnswerAsync(HttpContext context, ActionExecException error)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await HttpJson.WriteErrorAsync(context, error).ConfigureAwait(false);
        }
    }

    private async ValueTask<ManagementCaller> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!context.User.Identities.Any(static i => i.IsAuthenticated))
        {
            throw new ActionExecException(
                ActionExecErrorCode.Unauthenticated,
                "The request is not authenticated; send the credentials this service accepts, such as an 'Authorization' header.");
        }

        var tenant = await TenantResolution.ResolveAsync(_tenants, context, cancellationToken).ConfigureAwait(false);
        return ManagementCaller.ForUser(tenant, context.User);
    }

    /// <summary>Both versions of <c>SetExecution</c>: the service checks the permission before it reads the body.</summary>
    private async ValueTask<SetExecutionResult> SetExecutionAsync(HttpContext context, ManagementCaller caller, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(context, cancellationToken).ConfigureAwait(false);
        return await _json.SetExecutionFromJsonAsync(caller, body, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken) =>
        HttpJson.ReadBodyAsync(context.Request, _options.CurrentValue.MaxRequestBodyBytes, _limitName, cancellationToken);

    private static string TargetId(HttpContext context) =>
        context.Request.RouteValues["id"] is string { Length: > 0 } id
            ? id
            : throw ActionExecException.InvalidArgument("id", "The target id is missing from the path; call /v2beta/actions/targets/{id} with the id of a target.");

    private static string DeliveryId(HttpContext context) =>
        context.Request.RouteValues["id"] is string { Length: > 0 } id
            ? id
            : throw ActionExecException.InvalidArgument("id", "The delivery id is missing from the path; call /v2/actions/deliveries/{id} with the id of a delivery (its webhook-id).");

    private static string? SingleQueryValue(IQueryCollection query, string name, string hint, List<FieldViolation> violations)
    {
        var count = violations.Count;
        var value = QueryParameters.Single(query, name, violations);
        if (string.IsNullOrEmpty(value))
        {
            if (violations.Count == count)
            {
                violations.Add(new FieldViolation(name, $"The query parameter '{name}' is missing; {hint}."));
            }

            return null;
        }

        return value;
    }

    private static bool TryParseKind(string text, out ConditionKind kind)
    {
        (var known, kind) = text switch
        {
            "request" => (true, ConditionKind.Request),
            "response" => (true, ConditionKind.Response),
            "function" => (true, ConditionKind.Function),
            "event" => (true, ConditionKind.Event),
            _ => (false, ConditionKind.Request),
        };
        return known;
    }

    private static string Shorten(string value) => value.Length <= 100 ? value : string.Concat(value.AsSpan(0, 100), "…");

    private static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "The actions API failed unexpectedly on {HttpMethod} {Route}; the client was answered with error code 13.")]
    private partial void LogUnexpected(Exception exception, string httpMethod, string route);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "The client of {HttpMethod} {Route} went away before it was answered ({ExceptionType}).")]
    private partial void LogAborted(string httpMethod, string route, string exceptionType);
}
