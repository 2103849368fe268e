namespace ActionExec.Grpc.Tests.Management;

/// <summary>What a call answered: its gRPC code (0 for success) and the fields of its violations, in the driver's naming.</summary>
public sealed record ManagementOutcome(int Code, IReadOnlyList<string> Fields);
