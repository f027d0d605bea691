using VaeSweep.Model;

namespace VaeSweep.Client.Store;

/// <summary>A stored held-out log-likelihood estimate and the attempt that produced it.</summary>
public sealed record EvaluationRecord(string TrialId, int Attempt, LogLikelihoodEstimate Estimate);
