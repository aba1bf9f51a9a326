using Sip.Messaging;

namespace Sip.Notification.Domain;

/// <summary>
/// A unit as notification knows it: its functional mailbox (from the directory) and whether its administrators have
/// chosen channels. Until they do (<see cref="Customised"/> false) every event goes to the functional mailbox by e-mail.
/// </summary>
public sealed class UnitSubscription : IVersionedRow
{
    public Guid UnitId { get; init; }
    public string TenantId { get; init; } = "";
    public string UnitName { get; set; } = "";
    public string? Email { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool Customised { get; set; }

    /// <summary>The settings' version: the ETag of GET and the If-Match of PUT.</summary>
    public int SettingsVersion { get; set; }

    /// <summary>The unit's directory version last applied (<c>UnitUpdated.Version</c>).</summary>
    public long AppliedVersion { get; set; }
}
