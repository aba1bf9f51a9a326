namespace Sip.Contracts.Case;

// Ids, references and dates only: never a name, an identity number or the reason for the case.

/// <summary>A unit answered an initiative: <c>Acknowledged</c> or <c>Declined</c> (then perhaps naming the unit that should get it instead).</summary>
public sealed record InitiativeAnswered(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, Guid InitiativeId,
    Guid FromUnitId, Guid ToUnitId, string Answer, Guid? RedirectToUnitId, IReadOnlyList<DateTimeOffset> SuggestedTimes) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>An initiative was not answered within its working-day deadline.</summary>
public sealed record InitiativeOverdue(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, Guid InitiativeId,
    Guid FromUnitId, Guid ToUnitId, DateTimeOffset DueAt) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>
/// The SIP work ended because consent was withdrawn or expired (<c>ConsentWithdrawn</c>, <c>ConsentExpired</c>): the plan
/// and every initiative still awaiting an answer are cancelled, and every participating unit is to be told.
/// </summary>
public sealed record CaseCancelled(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, string Cause,
    IReadOnlyList<Guid> ParticipantUnitIds, IReadOnlyList<Guid> CancelledInitiativeIds) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>A case message to participating units, for information or for acknowledgement (the text stays in the case service).</summary>
public sealed record CaseMessageSent(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, Guid MessageId,
    Guid FromUnitId, IReadOnlyList<Guid> ToUnitIds, bool RequiresAcknowledgement) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>The SIP work was evaluated and closed; every participating unit is to be told.</summary>
public sealed record CaseClosed(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, string MunicipalityCode,
    bool WithEvaluationMeeting, IReadOnlyList<Guid> ParticipantUnitIds) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}

/// <summary>The discharge facts of a case under LUS changed: the track and the dates statistics and deadlines need.</summary>
public sealed record DischargeRecorded(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid CaseId, string CaseReference, string MunicipalityCode,
    string Track, DateTimeOffset AdmittedAt, DateTimeOffset? ReadyForDischargeAt, DateTimeOffset? DischargedAt, Guid? FixedCareContactUnitId) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}
