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

    /// <summary>The attached file (a meeting's .ics), kept with the delivery so a retry sends exactly what was first written.</summary>
    public string? AttachmentFileName { get; private init; }

    public string? AttachmentContentType { get; private init; }
    public string? AttachmentContent { get; private init; }
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
        AttachmentFileName = message.Attachment?.FileName,
        AttachmentContentType = message.Attachment?.ContentType,
        AttachmentContent = message.Attachment?.Content,
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

public sealed record Message(string Subject, string Body, Attachment? Attachment = null);

/// <summary>A text file sent with a message; <see cref="ContentType"/> is the full MIME type with its parameters.</summary>
public sealed record Attachment(string FileName, string ContentType, string Content)
{
    /// <summary>
    /// A meeting's iCalendar item as mail clients expect an invitation: <c>text/calendar</c> with the iTIP method
    /// (<c>REQUEST</c> to add or replace, <c>CANCEL</c> to remove), which must match the METHOD inside the text.
    /// </summary>
    public static Attachment Calendar(string calendar, string method) =>
        new("sip-mote.ics", $"text/calendar; method={method}; charset=utf-8", calendar);
}
