using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project benchmarks/ActionExec.Grpc.Benchmarks -- --filter '*GrpcInterceptorBenchmarks*' --exporters github
// The generated benchmark project inherits the repository's build settings; its code has no XML docs, so warnings are not errors.
// Its build compiles the gRPC stack from the protos: on a busy 2-core machine that exceeds the default two minutes.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithArguments([new MsBuildArgument("/p:TreatWarningsAsErrors=false"), new MsBuildArgument("/p:MSBuildTreatWarningsAsErrors=false")]).AsMutator())
    .WithBuildTimeout(TimeSpan.FromMinutes(10));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
