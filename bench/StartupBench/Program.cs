// Embedded silo start-up benchmark: how long `vaesweep run` spends starting and stopping its in-process
// Orleans silo (to the first look at the cluster, i.e. ready to place work), cold (first in the process,
// JIT included) and warm, printed against the reference in the same invocation: one training epoch of the
// reference model (784-400-20, batch 128, Fashion-MNIST 55k, one thread).
// Usage: dotnet run -c Release --project bench/StartupBench [dataset-dir] [warm-repeats]
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using VaeSweep.Model;
using VaeSweep.Model.Data;
using VaeSweep.Silo;

var data = args.Length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist";
var repeats = args.Length > 1 ? int.Parse(args[1]) : 5;

var cold = await StartStopAsync();
var warm = new List<(double Start, double Stop)>();
for (var i = 0; i < repeats; i++) warm.Add(await StartStopAsync());

var (train, test) = IdxDataset.Load(data);
var trainer = VaeTrainer.Create(new TrialConfig { Epochs = 1 }, DataSplits.Create(train, test, 5000, 0));
var sw = Stopwatch.StartNew();
trainer.TrainEpoch(CancellationToken.None);
var epoch = sw.Elapsed.TotalSeconds;

var warmStart = warm.Min(w => w.Start);
var warmStop = warm.Min(w => w.Stop);
Console.WriteLine($"reference: one training epoch of 784-400-20 on one thread      {epoch,7:0.000} s");
Console.WriteLine($"embedded silo, cold start to ready + stop                       {cold.Start,7:0.000} s + {cold.Stop:0.000} s = {(cold.Start + cold.Stop) / epoch:0.00}x an epoch");
Console.WriteLine($"embedded silo, warm start to ready + stop (best of {repeats})           {warmStart,7:0.000} s + {warmStop:0.000} s = {(warmStart + warmStop) / epoch:0.00}x an epoch");

static async Task<(double Start, double Stop)> StartStopAsync()
{
    var sw = Stopwatch.StartNew();
    var runner = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { Slots = 1 }, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
    while (runner.Silos.Count == 0) await Task.Delay(5);
    var start = sw.Elapsed.TotalSeconds;
    sw.Restart();
    await runner.DisposeAsync();
    return (start, sw.Elapsed.TotalSeconds);
}
