using ActionExec.Benchmarks.Http;
using ActionExec.Benchmarks.Matching;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Run one class with: dotnet run -c Release --project benchmarks/ActionExec.Core.Benchmarks -- --filter '*MatchBenchmarks*'
// A load run of the HTTP paths instead: dotnet run -c Release --project benchmarks/ActionExec.Core.Benchmarks -- http-load --seconds 10
// The agreement of our matcher and ZITADEL's router on the benchmark tenants: dotnet run -c Release --project benchmarks/ActionExec.Core.Benchmarks -- self-check
if (args is ["http-load", ..])
{
    return await HttpLoad.RunAsync(args);
}

if (args is ["self-check", ..])
{
    return MatcherAgreement.RunSelfCheck(Console.Out);
}

// The project BenchmarkDotNet generates lies inside the repository and inherits its build settings; its own generated code
// has no XML docs, so its warnings must not be errors. The mutator applies that to the job of every benchmark class.
var config = DefaultConfig.Instance.AddJob(
    Job.Default.WithArguments([new MsBuildArgument("/p:TreatWarningsAsErrors=false"), new MsBuildArgument("/p:MSBuildTreatWarningsAsErrors=false")]).AsMutator());
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
