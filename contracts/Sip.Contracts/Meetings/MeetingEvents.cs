namespace Sip.Contracts.Meetings;

// Meeting events carry ids, the case reference, the meeting's kind, times and place type only: never a name, an
// identity number, the reason for the meeting or a place's address. Calendar is the meeting's iCalendar (RFC 5545)
// text, built under the same rule, so a notification can attach it without knowing how it is made.
// Kind: Planning, FollowUp, Evaluation, PreMeeting. PlaceType: Home, Clinic, MunicipalOffice, HospitalWard, Remote.
// Every meeting event's aggregate is the case, so one case's meeting events leave in commit order.

/// <summary>A meeting was booked; each summoned unit also gets a <see cref="SummonsSent"/>.</summary>
public sealed record MeetingBooked(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid MeetingId, Guid CaseId, string CaseReference,
    string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string PlaceType, Guid ConvenedByUnitId, IReadOnlyList<Guid> InvitedUnitIds,
    int Sequence, string Calendar) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>The meeting moved (time, duration or place): everyone invited is told; the calendar item replaces the earlier one.</summary>
public sealed record MeetingRescheduled(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid MeetingId, Guid CaseId, string CaseReference,
    string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string PlaceType, Guid ConvenedByUnitId, IReadOnlyList<Guid> InvitedUnitIds,
    int Sequence, string Calendar) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>
/// The meeting was cancelled, with every summons still open. <see cref="Cause"/>: <c>Cancelled</c> (by the convener),
/// <c>CaseCancelled</c> (consent withdrawn or expired) or <c>CaseClosed</c>. The calendar item is a cancellation.
/// </summary>
public sealed record MeetingCancelled(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid MeetingId, Guid CaseId, string CaseReference,
    string Kind, DateTimeOffset StartsAt, string Cause, IReadOnlyList<Guid> InvitedUnitIds, int Sequence, string Calendar) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>A unit was summoned (kallelse) and must answer by <see cref="DueAt"/> (one working day).</summary>
public sealed record SummonsSent(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid SummonsId, Guid MeetingId, Guid CaseId, string CaseReference,
    string Kind, Guid FromUnitId, Guid ToUnitId, DateTimeOffset MeetingStartsAt, DateTimeOffset DueAt, string Calendar) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>A summoned unit answered: <c>Acknowledged</c> (naming <see cref="Attendees"/> people) or <c>Declined</c>.</summary>
public sealed record SummonsAnswered(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid SummonsId, Guid MeetingId, Guid CaseId, string CaseReference,
    string Kind, Guid FromUnitId, Guid ToUnitId, string Answer, int Attendees) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>A summons was not answered within its working-day deadline (published by the timer, once).</summary>
public sealed record SummonsOverdue(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid SummonsId, Guid MeetingId, Guid CaseId, string CaseReference,
    string Kind, Guid FromUnitId, Guid ToUnitId, DateTimeOffset DueAt) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>
/// The meeting was held. What case needs (a planning or follow-up meeting opens the next plan version, with
/// <see cref="CoordinatorUnitId"/> as the coordinator's unit) and what statistics counts, pseudonymously:
/// <see cref="Physical"/> and <see cref="RegionUnitsInPerson"/> for KVÅ AU124, <see cref="Discharge"/> for AU125,
/// <see cref="FirstInitiativeAt"/> and <see cref="FirstMeetingOfCase"/> for initiative → first meeting.
/// </summary>
public sealed record MeetingHeld(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid MeetingId, Guid CaseId, string CaseReference,
    string MunicipalityCode, string Kind, DateTimeOffset HeldAt, Guid CoordinatorUnitId, IReadOnlyList<Guid> ParticipantUnitIds, bool Physical,
    int RegionUnitsInPerson, bool Discharge, bool FirstMeetingOfCase, DateTimeOffset? FirstInitiativeAt, Guid? NextMeetingId) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>
/// A LUS deadline (SIP-DOMAIN §7) is near (<see cref="LusDeadlineApproaching"/>) or passed unmet (<see cref="LusDeadlineBreached"/>).
/// Obligation: <c>Summons</c> (at the latest 3 days after ready for discharge), <c>MeetingBeforeDischarge</c> (red track),
/// <c>MeetingAfterDischarge</c> (green and yellow: within 4 weeks after discharge). Published by the timer, once each.
/// </summary>
public sealed record LusDeadlineApproaching(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, string Track,
    string Obligation, Guid OwedByUnitId, DateTimeOffset DueAt) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <inheritdoc cref="LusDeadlineApproaching"/>
public sealed record LusDeadlineBreached(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, string Track,
    string Obligation, Guid OwedByUnitId, DateTimeOffset DueAt) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}
