using VaeSweep.Client;

NativeHeap.ReturnLargeBlocksOnFree();
return await Cli.InvokeAsync(args, Console.Out, Console.Error, TimeProvider.System);
