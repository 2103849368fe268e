using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Samples.HostTests.Signup;

/// <summary>
/// The host's configured actions, as production registers and creates them: a call target that checks the email before a
/// signup, and two event targets after it, the welcome mail (in process) and the CRM's webhook.
/// </summary>
public static class SignupActions
{
    /// <summary>The endpoint of the email check.</summary>
    public const string EmailCheckEndpoint = "https://checks.shop.example/email";

    /// <summary>The endpoint of the CRM's webhook.</summary>
    public const string CrmEndpoint = "https://crm.shop.example/hooks/signup";

    /// <summary>Registers what the host's actions need: the catalog of what exists and the in-process invoker.</summary>
    public static IServiceCollection AddSignupActions(this IServiceCollection services)
    {
        services.AddSingleton<SignupService>();
        services.AddActionExecutions()
            .AddCatalog(c => c.AddMethods(SignupService.Method).AddEvents(SignupService.SignedUpEvent))
            .AddTargetInvoker<WelcomeMailInvoker>(WelcomeMailInvoker.Scheme);
        return services;
    }

    /// <summary>Creates the tenant's targets and executions.</summary>
    public static async Task CreateAsync(IActionManagement management, ManagementCaller caller, CancellationToken cancellationToken)
    {
        var check = await management.CreateTargetAsync(
            caller,
            new TargetSpec { Name = "email-check", Endpoint = EmailCheckEndpoint, Type = TargetType.Call, Timeout = TimeSpan.FromSeconds(2), InterruptOnError = true },
            cancellationToken);
        var welcome = await management.CreateTargetAsync(
            caller,
            new TargetSpec { Name = "welcome-mail", Endpoint = "inproc://welcome-mail", Type = TargetType.Async, Timeout = TimeSpan.FromSeconds(10) },
            cancellationToken);
        var crm = await management.CreateTargetAsync(
            caller,
            new TargetSpec { Name = "crm", Endpoint = CrmEndpoint, Type = TargetType.Async, Timeout = TimeSpan.FromSeconds(10) },
            cancellationToken);

        await management.SetExecutionAsync(caller, Condition.RequestMethod(SignupService.Method), [ExecutionEntry.ForTarget(check.Target.Id)], cancellationToken);
        await management.SetExecutionAsync(
            caller,
            Condition.Event(SignupService.SignedUpEvent),
            [ExecutionEntry.ForTarget(welcome.Target.Id), ExecutionEntry.ForTarget(crm.Target.Id)],
            cancellationToken);
    }
}
