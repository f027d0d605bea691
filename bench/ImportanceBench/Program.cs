using System.Globalization;
using VaeSweep.Client.Report;

// Our parameter importance on the cases bench/optuna_importance.py writes: each CSV's first row is the bounds
// ("low:high" per feature), then one row per point, features then the value. Prints CSV case,feature,seed,share for
// seeds 0..SEEDS-1 of the forest. Usage: VaeSweep.ImportanceBench.dll [--seeds 5] CASE.csv...
var c = CultureInfo.InvariantCulture;
var seeds = 5;
var files = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--seeds" && i + 1 < args.Length) seeds = int.Parse(args[++i], c);
    else files.Add(args[i]);
}
Console.WriteLine("case,feature,seed,share");
foreach (var file in files)
{
    var lines = File.ReadAllLines(file);
    var bounds = lines[0].Split(',').Select(b => b.Split(':')).Select(p => (double.Parse(p[0], c), double.Parse(p[1], c))).ToList();
    var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, c)).ToArray()).ToList();
    var x = rows.Select(r => r[..bounds.Count]).ToList();
    var y = rows.Select(r => r[bounds.Count]).ToList();
    for (var seed = 0; seed < seeds; seed++)
    {
        var shares = FunctionalAnova.MainEffectFractions(ForestSurrogate.Fit(x, y, new ForestOptions { Seed = seed }), bounds);
        for (var f = 0; f < bounds.Count; f++)
            Console.WriteLine($"{Path.GetFileNameWithoutExtension(file)},x{f + 1},{seed},{(shares is null ? "nan" : shares[f].ToString("R", c))}");
    }
}
return 0;
