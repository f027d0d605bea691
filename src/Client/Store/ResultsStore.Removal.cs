using System.Data;
using Dapper;

namespace VaeSweep.Client.Store;

public sealed partial class ResultsStore
{
    // The sweep's trials, now or before, that no other sweep lists now or listed before: the ones removing the sweep
    // may delete. Former members of other sweeps count as theirs too, so a later version there can still list them.
    private const string OnlyHereSql = """
        SELECT trial_id FROM (SELECT trial_id FROM sweep_trials WHERE sweep_id = @sweepId
                              UNION SELECT trial_id FROM sweep_version_trials WHERE sweep_id = @sweepId)
        WHERE trial_id IN (SELECT trial_id FROM trials)
          AND trial_id NOT IN (SELECT trial_id FROM sweep_trials WHERE sweep_id <> @sweepId)
          AND trial_id NOT IN (SELECT trial_id FROM sweep_version_trials WHERE sweep_id <> @sweepId)
        """;

    /// <summary>What <see cref="RemoveSweep"/> would remove, changing nothing.</summary>
    /// <exception cref="ResultsStoreException">No sweep of that name.</exception>
    public SweepRemoval PreviewRemoval(string name) => Run(nameof(PreviewRemoval), write: false, (db, tx) =>
        Measure(db, tx, RequireSweepId(db, tx, name)));

    /// <summary>
    /// Removes the sweep, its versions and its membership in one transaction, and with them (unless
    /// <paramref name="keepTrials"/>) every trial only it lists or listed, with everything stored about those trials.
    /// Trials that stay point at another sweep that lists them, or at none.
    /// </summary>
    /// <exception cref="ResultsStoreException">No sweep of that name.</exception>
    public SweepRemoval RemoveSweep(string name, bool keepTrials) => Run(nameof(RemoveSweep), write: true, (db, tx) =>
    {
        var sweepId = RequireSweepId(db, tx, name);
        var measured = Measure(db, tx, sweepId);
        var removed = 0;
        if (!keepTrials)
        {
            db.Execute($"CREATE TEMP TABLE doomed AS {OnlyHereSql}", new { sweepId }, tx);
            try
            {
                // Every table that refers to trials, read from the schema, so a table added later is not forgotten.
                var referring = db.Query<string>("""
                    SELECT DISTINCT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f
                    WHERE m.type = 'table' AND f."table" = 'trials' AND f."from" = 'trial_id'
                    """, transaction: tx).ToList();
                foreach (var table in referring)
                    db.Execute($"DELETE FROM \"{table.Replace("\"", "\"\"")}\" WHERE trial_id IN (SELECT trial_id FROM temp.doomed)", transaction: tx);
                removed = db.Execute("DELETE FROM trials WHERE trial_id IN (SELECT trial_id FROM temp.doomed)", transaction: tx);
            }
            finally
            {
                db.Execute("DROP TABLE temp.doomed", transaction: tx);
            }
        }

        db.Execute("DELETE FROM sweep_trials WHERE sweep_id = @sweepId", new { sweepId }, tx);
        db.Execute("DELETE FROM sweep_version_trials WHERE sweep_id = @sweepId", new { sweepId }, tx);
        db.Execute("DELETE FROM sweep_versions WHERE sweep_id = @sweepId", new { sweepId }, tx);
        // Kept trials and their decisions point at the oldest other sweep that lists them, else at no sweep.
        const string heir = """
            (SELECT min(o.sweep_id) FROM (SELECT sweep_id, trial_id FROM sweep_trials
                                          UNION SELECT sweep_id, trial_id FROM sweep_version_trials) o
             WHERE o.trial_id = {0}.trial_id)
            """;
        db.Execute($"UPDATE trials SET sweep_id = {string.Format(heir, "trials")} WHERE sweep_id = @sweepId", new { sweepId }, tx);
        db.Execute($"UPDATE rung_decisions SET sweep_id = {string.Format(heir, "rung_decisions")} WHERE sweep_id = @sweepId", new { sweepId }, tx);
        db.Execute("DELETE FROM sweeps WHERE sweep_id = @sweepId", new { sweepId }, tx);
        return measured with { Removed = removed };
    });

    private static SweepRemoval Measure(IDbConnection db, IDbTransaction tx, long sweepId)
    {
        var versions = db.ExecuteScalar<int>("SELECT count(*) FROM sweep_versions WHERE sweep_id = @sweepId", new { sweepId }, tx);
        var trials = db.ExecuteScalar<int>("""
            SELECT count(*) FROM (SELECT trial_id FROM sweep_trials WHERE sweep_id = @sweepId
                                  UNION SELECT trial_id FROM sweep_version_trials WHERE sweep_id = @sweepId)
            WHERE trial_id IN (SELECT trial_id FROM trials)
            """, new { sweepId }, tx);
        var onlyHere = db.ExecuteScalar<int>($"SELECT count(*) FROM ({OnlyHereSql})", new { sweepId }, tx);
        return new SweepRemoval(versions, trials, onlyHere, 0);
    }
}
