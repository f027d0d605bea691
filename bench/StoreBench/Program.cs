// Store write benchmark: the sustained rate at which the client (the only SQLite writer) stores trial
// events, against a reference in the same invocation: bare SQLite inserts of the same rows, one
// transaction each, on the same disk. Usage: dotnet run -c Release --project bench/StoreBench [trials] [epochs] [checkpoint-MB]
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using VaeSweep.Client.Store;
using VaeSweep.Model;

var trials = args.Length > 0 ? int.Parse(args[0]) : 200;
var epochs = args.Length > 1 ? int.Parse(args[1]) : 10;
var checkpointMb = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 7.8;
var dir = Directory.CreateTempSubdirectory("vaesweep-storebench-").FullName;
var checkpoint = new byte[(int)(checkpointMb * 1024 * 1024)];
new Random(1).NextBytes(checkpoint);
var perExample = Enumerable.Range(0, 1000).Select(i => -250.0 - i * 0.01).ToArray();
var estimate = (string split) => new LogLikelihoodEstimate(split, 1000, perExample.Length, perExample.Average(), 1.0, -260, perExample);
var metrics = (int e) => new EpochMetrics(e, 260, -258, 20, 238, -259, 20, 239, 4.0, 14000);

// 1. The reference: bare inserts of an epoch row, one transaction each.
var rawPath = Path.Combine(dir, "raw.db");
double rawEpochRate;
using (var raw = new SqliteConnection($"Data Source={rawPath}"))
{
    raw.Open();
    Exec(raw, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE e (t TEXT, epoch INT, a REAL, b REAL, c REAL, d REAL, e REAL, f REAL, g REAL, h REAL, i REAL, j REAL, PRIMARY KEY (t, epoch))");
    var sw = Stopwatch.StartNew();
    for (var t = 0; t < trials; t++)
    for (var e = 1; e <= epochs; e++)
    {
        using var tx = raw.BeginTransaction();
        using var cmd = raw.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO e VALUES ($t, $e, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)";
        cmd.Parameters.AddWithValue("$t", $"trial{t}");
        cmd.Parameters.AddWithValue("$e", e);
        cmd.ExecuteNonQuery();
        tx.Commit();
    }

    rawEpochRate = trials * epochs / sw.Elapsed.TotalSeconds;
}

// 2. The store, with the real event mix of a trial: begin, start, per epoch a metrics row and a checkpoint, finish.
using var store = ResultsStore.Open(Path.Combine(dir, "store.db"));
store.CreateSweep("bench", "name: bench");
var ids = Enumerable.Range(0, trials).Select(i => $"{i:x64}").ToList();
store.AddTrials("bench", ids.Select((id, i) => NewTrial.From(id, i, new TrialConfig(), $"{{\"i\":{i}}}")));
var epochTime = TimeSpan.Zero;
var checkpointTime = TimeSpan.Zero;
var otherTime = TimeSpan.Zero;
var clock = Stopwatch.StartNew();
foreach (var id in ids)
{
    var t0 = clock.Elapsed;
    var attempt = store.BeginAttempt(id, "");
    store.MarkStarted(id, attempt, "host");
    otherTime += clock.Elapsed - t0;
    for (var e = 1; e <= epochs; e++)
    {
        t0 = clock.Elapsed;
        store.RecordEpoch(id, attempt, metrics(e));
        epochTime += clock.Elapsed - t0;
        t0 = clock.Elapsed;
        if (checkpoint.Length > 0) store.SaveCheckpoint(id, attempt, e, checkpoint);
        checkpointTime += clock.Elapsed - t0;
    }

    t0 = clock.Elapsed;
    store.FinishTrial(id, attempt, estimate("validation"), estimate("test"), 60);
    otherTime += clock.Elapsed - t0;
}

var total = clock.Elapsed.TotalSeconds;
var writes = trials * (3 + 2 * epochs);
var epochRate = trials * epochs / epochTime.TotalSeconds;
Console.WriteLine($"store bench: {trials} trials x {epochs} epochs, checkpoint {checkpointMb} MB, in {dir}");
Console.WriteLine($"  reference (bare SQLite insert, 1 tx each): {rawEpochRate,10:F0} epoch rows/s");
Console.WriteLine($"  store RecordEpoch:                        {epochRate,10:F0} epoch rows/s   ratio {epochRate / rawEpochRate:F2} of bare");
Console.WriteLine($"  store SaveCheckpoint:                     {trials * epochs / checkpointTime.TotalSeconds,10:F1} checkpoints/s ({trials * epochs * checkpointMb / checkpointTime.TotalSeconds:F0} MB/s)");
Console.WriteLine($"  store begin+start+finish:                 {trials / otherTime.TotalSeconds,10:F0} trials/s");
Console.WriteLine($"  whole event mix:                          {writes / total,10:F0} writes/s = {trials / total * 60:F0} trials/min of {epochs} epochs");
Directory.Delete(dir, recursive: true);

static void Exec(SqliteConnection c, string sql)
{
    using var cmd = c.CreateCommand();
    cmd.CommandText = sql;
    cmd.ExecuteNonQuery();
}
