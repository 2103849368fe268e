using Grpc.Core.Interceptors;

namespace ActionExec.Grpc.Benchmarks.Interception;

/// <summary>An interceptor that does nothing: what gRPC's interceptor pipeline costs a call, whatever the interceptor does.</summary>
internal sealed class PassThroughInterceptor : Interceptor;
