namespace Sip.Contracts.Case;

// Plan events carry ids, version numbers, dates and the facts statistics counts (pseudonymously):
// never the plan's text, names, or anything about the person.

/// <summary>The coordinator signed a version: it is now the plan participating staff work from.</summary>
public sealed record PlanSigned(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, Guid PlanVersionId, int Version,
    string MunicipalityCode, string OverallResponsibility, int Activities, bool SignedWithinDeadline) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>A version was locked: signed by the individual and the coordinator, copies due to those the individual approved.</summary>
public sealed record PlanLocked(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, Guid PlanVersionId, int Version,
    IReadOnlyList<Guid> ParticipantUnitIds) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>A new meeting's version replaced this one.</summary>
public sealed record PlanSuperseded(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, Guid PlanVersionId, int Version,
    Guid SupersededByVersionId) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>The plan was cancelled (consent withdrawn or expired).</summary>
public sealed record PlanCancelled(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, Guid PlanVersionId, int Version,
    string Cause) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>Not signed within two working days of the meeting.</summary>
public sealed record PlanLate(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, Guid PlanVersionId, int Version,
    DateTimeOffset DueAt, IReadOnlyList<Guid> ParticipantUnitIds) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>Follow-up: an activity's status changed (<c>NotStarted</c>, <c>Ongoing</c>, <c>Done</c>, <c>NotDone</c>).</summary>
public sealed record ActivityStatusChanged(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, Guid PlanVersionId, Guid ActivityId,
    Guid ResponsibleUnitId, string Status) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}
