using ActionExec.Grpc.Tests.Support;

namespace ActionExec.Grpc.Tests.Management;

/// <summary>Sends a management call over one transport: the HTTP API, gRPC or gRPC-Web.</summary>
public interface IManagementDriver
{
    string Name { get; }

    /// <summary>The field of a violation as this transport names it, given its name in the HTTP API.</summary>
    string FieldName(string jsonField);

    Task<ManagementOutcome> RunAsync(ManagementHost host, ManagementOperation operation, string? body, string? targetId, string? key, string? keyId);
}
