namespace Sip.Contracts.Directory;

/// <summary>
/// A unit in the case service's unit directory was created or changed. A unit's functional
/// mailbox is organisational, not personal, data.
/// <para><c>Version</c> is the unit's version in the directory (1 for its first state, one more for each change): a consumer
/// keeps the newest by it, since the broker does not order concurrent deliveries. 0 is a message from before the field
/// existed (added in issue 14; a consumer falls back on <c>OccurredAt</c> for it).</para>
/// </summary>
public sealed record UnitUpdated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    Guid UnitId,
    string Name,
    string Principal,
    string? MunicipalityCode,
    string? FunctionalMailbox,
    long Version = 0) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => UnitId;
}
