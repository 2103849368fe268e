using ActionExec.Soak;

return await SoakRunner.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
