namespace Sip.Contracts.Directory;

/// <summary>
/// A unit in the case service's unit directory was created or changed. A unit's functional
/// mailbox is organisational, not personal, data.
/// </summary>
public sealed record UnitUpdated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    Guid UnitId,
    string Name,
    string Principal,
    string? MunicipalityCode,
    string? FunctionalMailbox) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => UnitId;
}
