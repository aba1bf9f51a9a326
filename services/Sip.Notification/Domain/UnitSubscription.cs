namespace Sip.Notification.Domain;

/// <summary>Where a unit wants to hear of events: its functional mailbox (organisational, not personal, data).</summary>
public sealed class UnitSubscription
{
    public Guid UnitId { get; init; }
    public string TenantId { get; init; } = "";
    public string UnitName { get; set; } = "";
    public string? Email { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
