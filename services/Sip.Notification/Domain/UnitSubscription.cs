using Sip.Messaging;

namespace Sip.Notification.Domain;

/// <summary>Where a unit wants to hear of events: its functional mailbox (organisational, not personal, data).</summary>
public sealed class UnitSubscription : IVersionedRow
{
    public Guid UnitId { get; init; }
    public string TenantId { get; init; } = "";
    public string UnitName { get; set; } = "";
    public string? Email { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The unit's directory version last applied (<c>UnitUpdated.Version</c>).</summary>
    public long AppliedVersion { get; set; }
}
