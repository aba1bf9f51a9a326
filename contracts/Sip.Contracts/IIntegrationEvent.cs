namespace Sip.Contracts;

/// <summary>
/// What every event that leaves a service carries. <see cref="EventId"/> becomes the broker's
/// MessageId, so a re-publish after a crash is recognised by every consumer's inbox.
/// Events never carry identity numbers or names: individuals are referred to by an opaque id.
/// </summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }
    DateTimeOffset OccurredAt { get; }
    string TenantId { get; }

    /// <summary>Events of one aggregate leave in commit order.</summary>
    Guid AggregateId { get; }
}
