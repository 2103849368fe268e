using BenchmarkDotNet.Running;

// Run one class with: dotnet run -c Release --project benchmarks/ActionExec.Core.Benchmarks -- --filter '*MatchBenchmarks*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
