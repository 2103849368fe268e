namespace ActionExec.Samples.HostTests.Signup;

/// <summary>What a new customer sends to sign up.</summary>
public sealed record SignupRequest(string Email, string Name);
