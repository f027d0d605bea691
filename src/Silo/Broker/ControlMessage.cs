using System.Text.Json.Serialization;

namespace VaeSweep.Silo.Broker;

/// <summary>A broadcast to every silo (and client) on the control exchange.</summary>
/// <param name="TrialId">For <see cref="ControlKind.CancelAttempt"/>: the trial.</param>
/// <param name="Attempt">For <see cref="ControlKind.CancelAttempt"/>: the attempt; other attempts are untouched.</param>
internal sealed record ControlMessage(ControlKind Kind, string Sweep, string? TrialId = null, int? Attempt = null);

[JsonConverter(typeof(JsonStringEnumConverter<ControlKind>))]
internal enum ControlKind
{
    /// <summary>Stop one attempt wherever it runs, or drop it when it is dequeued later.</summary>
    CancelAttempt,
    /// <summary>Stop every attempt of a sweep and drop its queued work.</summary>
    CancelSweep,
    /// <summary>
    /// A client (re)attaches to the sweep: forget an earlier <see cref="CancelSweep"/>, and send a heartbeat now.
    /// </summary>
    ResumeSweep,
}
