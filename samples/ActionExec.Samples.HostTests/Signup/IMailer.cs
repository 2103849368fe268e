namespace ActionExec.Samples.HostTests.Signup;

/// <summary>The host's mail sender.</summary>
public interface IMailer
{
    /// <summary>Sends a mail.</summary>
    Task SendAsync(string to, string subject, CancellationToken cancellationToken);
}
