using ActionExec.PostgreSql.WorkerHost;

return await WorkerHostProgram.RunAsync(args, Console.Out, CancellationToken.None);
