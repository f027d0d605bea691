using Dapper;

namespace VaeSweep.Client.Store;

public sealed partial class ResultsStore
{
    /// <summary>Records that a silo was heard from now, with its slot counts (insert or update by name); it runs, so it is not stopped.</summary>
    public void Heartbeat(string name, string host, int slots, int running)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(host);
        if (slots < 0) throw new ArgumentOutOfRangeException(nameof(slots), slots, $"silo {name}: slots must be 0 or more");
        if (running < 0 || running > slots)
            throw new ArgumentOutOfRangeException(nameof(running), running, $"silo {name}: running must be between 0 and slots ({slots})");
        Run(nameof(Heartbeat), write: true, (db, tx) => db.Execute("""
            INSERT INTO silos (name, host, slots, running, last_heartbeat) VALUES (@name, @host, @slots, @running, @now)
            ON CONFLICT (name) DO UPDATE SET host = excluded.host, slots = excluded.slots,
                running = excluded.running, last_heartbeat = excluded.last_heartbeat, stopped_at = NULL
            """, new { name, host, slots, running, now = Now() }, tx));
    }

    /// <summary>
    /// Records that the named silos stopped now (a run's embedded silo, as the run ends), so they read as gone at once
    /// rather than up until their last heartbeat is stale. Names never heard from are ignored.
    /// </summary>
    public void MarkSilosStopped(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = names.ToList();
        if (list.Count == 0) return;
        Run(nameof(MarkSilosStopped), write: true, (db, tx) =>
            db.Execute("UPDATE silos SET stopped_at = @now, running = 0 WHERE name IN @list", new { list, now = Now() }, tx));
    }

    /// <summary>Every silo ever heard from, by name; the caller judges staleness from the heartbeat time.</summary>
    public IReadOnlyList<SiloRecord> Silos() => Run(nameof(Silos), write: false, (db, tx) =>
        db.Query<SiloRow>("""
            SELECT name AS Name, host AS Host, slots AS Slots, running AS Running, last_heartbeat AS LastHeartbeat,
                   stopped_at AS StoppedAt
            FROM silos ORDER BY name
            """, transaction: tx)
            .Select(r => new SiloRecord(r.Name, r.Host, (int)r.Slots, (int)r.Running,
                Timestamps.Parse(r.LastHeartbeat, $"silo {r.Name}: last_heartbeat"),
                Timestamps.ParseOptional(r.StoppedAt, $"silo {r.Name}: stopped_at")))
            .ToList());

    private sealed class SiloRow
    {
        public string Name { get; set; } = "";
        public string Host { get; set; } = "";
        public long Slots { get; set; }
        public long Running { get; set; }
        public string LastHeartbeat { get; set; } = "";
        public string? StoppedAt { get; set; }
    }
}
