namespace ActionExec.Samples.HostTests.Signup;

/// <summary>The payload of the <c>customer.signedup</c> event.</summary>
public sealed record CustomerSignedUp(string CustomerId, string Email, string Name);
