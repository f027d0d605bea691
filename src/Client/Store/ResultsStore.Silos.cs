using Dapper;

namespace VaeSweep.Client.Store;

public sealed partial class ResultsStore
{
    /// <summary>Records that a silo was heard from now, with its slot counts (insert or update by name).</summary>
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
                running = excluded.running, last_heartbeat = excluded.last_heartbeat
            """, new { name, host, slots, running, now = Now() }, tx));
    }

    /// <summary>Every silo ever heard from, by name; the caller judges staleness from the heartbeat time.</summary>
    public IReadOnlyList<SiloRecord> Silos() => Run(nameof(Silos), write: false, (db, tx) =>
        db.Query<SiloRow>("""
            SELECT name AS Name, host AS Host, slots AS Slots, running AS Running, last_heartbeat AS LastHeartbeat
            FROM silos ORDER BY name
            """, transaction: tx)
            .Select(r => new SiloRecord(r.Name, r.Host, (int)r.Slots, (int)r.Running,
                Timestamps.Parse(r.LastHeartbeat, $"silo {r.Name}: last_heartbeat")))
            .ToList());

    private sealed class SiloRow
    {
        public string Name { get; set; } = "";
        public string Host { get; set; } = "";
        public long Slots { get; set; }
        public long Running { get; set; }
        public string LastHeartbeat { get; set; } = "";
    }
}
