using VaeSweep.Client;

return await Cli.InvokeAsync(args, Console.Out, Console.Error, TimeProvider.System);
