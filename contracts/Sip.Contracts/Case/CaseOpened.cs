namespace Sip.Contracts.Case;

public sealed record CaseOpened(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    Guid CaseId,
    string CaseReference,
    Guid OpenedByUnitId,
    string MunicipalityCode,
    string Urgency) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => CaseId;
}
