namespace VaeSweep.Client.Store;

/// <summary>What removing a sweep takes with it (see <see cref="ResultsStore.RemoveSweep"/>).</summary>
/// <param name="Versions">Spec versions of the sweep.</param>
/// <param name="Trials">Trials the sweep lists now or listed before.</param>
/// <param name="OnlyHere">Of those, the ones no other sweep lists or listed: removed with the sweep unless kept.</param>
/// <param name="Removed">Trials actually removed (0 when the trials were kept, or for a preview).</param>
public sealed record SweepRemoval(int Versions, int Trials, int OnlyHere, int Removed);
