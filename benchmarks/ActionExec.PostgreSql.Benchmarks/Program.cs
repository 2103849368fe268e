using ActionExec.PostgreSql.Benchmarks;

// Every mode starts a throwaway PostgreSQL of its own (initdb and pg_ctl must be installed, as for the tests):
//   dotnet run -c Release --project benchmarks/ActionExec.PostgreSql.Benchmarks -- queue-throughput [--events 2000] [--rounds 3]
//   dotnet run -c Release --project benchmarks/ActionExec.PostgreSql.Benchmarks -- visibility [--changes 200]
//   dotnet run -c Release --project benchmarks/ActionExec.PostgreSql.Benchmarks -- self-check
return await LoadRunner.RunAsync(args, Console.Out);
