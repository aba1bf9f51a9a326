namespace Sip.Contracts.Consent;

public sealed record ConsentGiven(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    Guid ConsentId,
    Guid IndividualId,
    IReadOnlyList<Guid> UnitIds,
    DateOnly? ValidUntil) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => IndividualId;
}
