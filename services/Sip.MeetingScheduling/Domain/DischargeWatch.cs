namespace Sip.MeetingScheduling.Domain;

/// <summary>A LUS deadline that is not yet met: when it is due, and when to warn that it approaches (null: no warning).</summary>
public sealed record LusDeadline(string Obligation, DateTimeOffset DueAt, DateTimeOffset? ApproachingAt);

/// <summary>
/// The LUS deadlines of one discharge case (SIP-DOMAIN §7) that this service keeps, because it is the one that sends
/// summons and holds meetings: a summons at the latest 3 days after ready for discharge; on the red track the meeting
/// before the person leaves hospital; on green and yellow within 4 weeks after discharge. The discharge facts come
/// from the case service's <c>DischargeRecorded</c>; what was done comes from this service's own summons and meetings.
/// </summary>
public sealed class DischargeWatch
{
    public static readonly TimeSpan SummonsWithin = TimeSpan.FromDays(3);
    public static readonly TimeSpan MeetingAfterDischargeWithin = TimeSpan.FromDays(28);
    public static readonly TimeSpan SummonsWarning = TimeSpan.FromDays(1);
    public static readonly TimeSpan MeetingWarning = TimeSpan.FromDays(7);

    private DischargeWatch()
    {
    }

    public Guid CaseId { get; private init; }
    public string TenantId { get; private init; } = "";
    public string CaseReference { get; private init; } = "";
    public string Track { get; private set; } = "";
    public DateTimeOffset? ReadyForDischargeAt { get; private set; }
    public DateTimeOffset? DischargedAt { get; private set; }
    public Guid OwedByUnitId { get; private set; }
    public DateTimeOffset? FirstPlanningSummonsAt { get; private set; }
    public DateTimeOffset? FirstMeetingHeldAt { get; private set; }
    public bool Ended { get; private set; }

    /// <summary>The discharge record's time of change: an older record arriving late does not overwrite a newer one.</summary>
    public DateTimeOffset RecordedAt { get; private set; }

    public static DischargeWatch For(Guid caseId, string tenantId, string caseReference) =>
        new() { CaseId = caseId, TenantId = tenantId, CaseReference = caseReference };

    /// <summary>Takes the case service's record unless a newer one was taken already; returns whether it changed anything.</summary>
    public bool Record(string track, DateTimeOffset? readyAt, DateTimeOffset? dischargedAt, Guid owedBy, DateTimeOffset recordedAt)
    {
        if (recordedAt < RecordedAt)
        {
            return false;
        }
        // The case service passes the times on as they were sent (e.g. Swedish local time); timestamptz takes UTC only.
        (Track, ReadyForDischargeAt, DischargedAt, OwedByUnitId, RecordedAt) =
            (track, readyAt?.ToUniversalTime(), dischargedAt?.ToUniversalTime(), owedBy, recordedAt.ToUniversalTime());
        return true;
    }

    public void SummonsSent(DateTimeOffset at) => FirstPlanningSummonsAt = FirstPlanningSummonsAt is { } f && f < at ? f : at;

    public void MeetingHeld(DateTimeOffset at) => FirstMeetingHeldAt = FirstMeetingHeldAt is { } f && f < at ? f : at;

    /// <summary>The case was cancelled or closed: nothing is owed any more.</summary>
    public void End() => Ended = true;

    /// <summary>The deadlines still unmet. One that passed unmet stays in the list, so its breach is told (once).</summary>
    public IReadOnlyList<LusDeadline> OpenDeadlines()
    {
        var list = new List<LusDeadline>();
        if (Ended)
        {
            return list;
        }
        if (ReadyForDischargeAt is { } ready && FirstPlanningSummonsAt is null)
        {
            var due = ready + SummonsWithin;
            list.Add(new LusDeadline("Summons", due, due - SummonsWarning));
        }
        if (Track == "Red")
        {
            // The day of discharge is not known in advance, so there is nothing to warn about: the breach is the discharge itself.
            if (DischargedAt is { } discharged && (FirstMeetingHeldAt is null || FirstMeetingHeldAt > discharged))
            {
                list.Add(new LusDeadline("MeetingBeforeDischarge", discharged, null));
            }
        }
        else if (DischargedAt is { } discharged && FirstMeetingHeldAt is null)
        {
            var due = discharged + MeetingAfterDischargeWithin;
            list.Add(new LusDeadline("MeetingAfterDischarge", due, due - MeetingWarning));
        }
        return list;
    }
}
