namespace VaeSweep.Client.Report;

/// <summary>
/// Two parameters that were gridded (every combination of their levels is in the sweep), with the best held-out
/// log-likelihood of the finished trials in each cell; NaN where no trial of that cell finished.
/// </summary>
/// <param name="Best">[y level, x level].</param>
public sealed record HeatMapGrid(SweptParameter X, SweptParameter Y, double[,] Best);
