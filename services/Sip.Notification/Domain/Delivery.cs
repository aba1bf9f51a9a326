namespace Sip.Notification.Domain;

public enum DeliveryStatus
{
    Pending,
    Sent,
    Skipped,

    /// <summary>Given up after <see cref="Delivery.MaxAttempts"/>; visible to the unit and in metrics.</summary>
    Failed,
}

/// <summary>
/// One outbound message to a unit's functional mailbox. Texts carry a case reference and a link,
/// never a name or identity number (SIP-DOMAIN §9).
/// </summary>
public sealed class Delivery
{
    private Delivery()
    {
    }

    public const int MaxAttempts = 10;

    public Guid Id { get; private init; }
    public string TenantId { get; private init; } = "";
    public Guid UnitId { get; private init; }
    public string Channel { get; private init; } = "email";
    public string? Recipient { get; private init; }
    public string Subject { get; private init; } = "";
    public string Body { get; private init; } = "";
    public string CaseReference { get; private init; } = "";
    public Guid SourceEventId { get; private init; }
    public DeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private init; }
    public DateTimeOffset? SentAt { get; private set; }
    public string? LastError { get; private set; }

    public static Delivery Email(string tenantId, Guid unitId, string? recipient, Message message, string caseReference, Guid sourceEventId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = tenantId,
        UnitId = unitId,
        Recipient = recipient,
        Subject = message.Subject,
        Body = message.Body,
        CaseReference = caseReference,
        SourceEventId = sourceEventId,
        Status = recipient is null ? DeliveryStatus.Skipped : DeliveryStatus.Pending,
        LastError = recipient is null ? "Enheten har ingen e-postadress för aviseringar." : null,
        NextAttemptAt = now,
        CreatedAt = now,
    };

    /// <summary>A unit the event names but the directory never told notification about: nothing to send, and the record says so.</summary>
    public static Delivery UnknownUnit(string tenantId, Guid unitId, string caseReference, Guid sourceEventId, DateTimeOffset now) =>
        Email(tenantId, unitId, null, new Message("", ""), caseReference, sourceEventId, now).Because("Enheten finns inte i aviseringstjänstens enhetskatalog.");

    private Delivery Because(string error)
    {
        LastError = error;
        return this;
    }
}

public sealed record Message(string Subject, string Body);
