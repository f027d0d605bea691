namespace VaeSweep.Client.Tests.Cluster;

/// <summary>Invariants every cluster sweep must keep, however its processes died.</summary>
internal static class ClusterAssert
{
    /// <summary>
    /// Every trial holds epochs exactly 1..<paramref name="epochs"/>, and the attempt that stored them never goes
    /// back along the epochs: a later attempt only went on from where an earlier one's checkpoint left off.
    /// Attempt numbers stay within the trial's attempt count.
    /// </summary>
    public static void EpochsContinueAcrossAttempts(SweepDb db, int epochs, string context)
    {
        var attempts = db.Rows("SELECT trial_id, attempts FROM trials")
            .Select(r => r.Split('|'))
            .ToDictionary(r => r[0], r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture));
        var stored = db.Rows("SELECT trial_id, epoch, attempt FROM epochs ORDER BY trial_id, epoch")
            .Select(r => r.Split('|'))
            .GroupBy(r => r[0], r => (Epoch: int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture), Attempt: int.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)))
            .ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (trial, count) in attempts)
        {
            var rows = stored.GetValueOrDefault(trial) ?? [];
            Assert.True(rows.Select(r => r.Epoch).SequenceEqual(Enumerable.Range(1, epochs)), $"trial {trial}: epochs {string.Join(',', rows.Select(r => r.Epoch))}\n{context}");
            for (var i = 1; i < rows.Count; i++)
                Assert.True(rows[i].Attempt >= rows[i - 1].Attempt, $"trial {trial}: epoch {rows[i].Epoch} by attempt {rows[i].Attempt} after attempt {rows[i - 1].Attempt}\n{context}");
            Assert.True(rows.All(r => r.Attempt >= 1 && r.Attempt <= count), $"trial {trial}: epochs of attempts outside 1..{count}\n{context}");
        }
    }

    /// <summary>The training curve and held-out figures, as exact text (shortest round-trip form, so equal text is equal bits).</summary>
    public static IReadOnlyList<string> Metrics(SweepDb db) =>
    [
        .. db.Rows("""
            SELECT trial_id, epoch, train_objective, train_elbo, train_kl, train_recon, valid_elbo, valid_kl, valid_recon
            FROM epochs ORDER BY trial_id, epoch
            """),
        .. db.Rows("SELECT trial_id, split, k, n, mean, se, mean_elbo, hex(per_example) FROM evaluations ORDER BY trial_id, split"),
    ];
}
