namespace Sip.Contracts.Case;

/// <summary>An initiative to start SIP work was sent to a unit, which must answer by <see cref="DueAt"/>.</summary>
public sealed record InitiativeSent(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    Guid CaseId,
    string CaseReference,
    Guid InitiativeId,
    Guid FromUnitId,
    Guid ToUnitId,
    string MunicipalityCode,
    DateTimeOffset DueAt) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}
