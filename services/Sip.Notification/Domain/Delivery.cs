namespace Sip.Notification.Domain;

public enum DeliveryStatus
{
    Pending,
    Sent,
    Skipped,

    /// <summary>Given up after its attempts; visible to the unit's administrators, who can retry it, and in metrics.</summary>
    Failed,

    /// <summary>Waiting for the recipient's morning digest (an e-mail subscription with <see cref="Subscription.Digest"/>).</summary>
    Held,

    /// <summary>Went out as a line of a digest (<see cref="Delivery.DigestId"/>).</summary>
    Digested,

    /// <summary>A reminder or escalation no longer needed: the initiative or summons was answered or cancelled first.</summary>
    Cancelled,
}

/// <summary>
/// One outbound message to one recipient in one channel. Texts carry a case reference, the event kind and a link,
/// never a name or identity number (SIP-DOMAIN §9). The same event reaches a recipient once per channel
/// (unique on event, channel and recipient).
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
    public string Channel { get; private init; } = Channels.Email;
    public string Kind { get; private init; } = "";
    public string? Recipient { get; private init; }

    /// <summary>The recipient in comparable form (or <c>unit:{id}</c> when there is none): the idempotency key with the event and channel.</summary>
    public string RecipientKey { get; private init; } = "";

    /// <summary>Why this recipient: <c>unit</c> (a subscription or the default mailbox), <c>watch</c> (a person watching the case), <c>escalation</c>.</summary>
    public string Audience { get; private init; } = "unit";

    public Guid? SubscriptionId { get; private init; }
    public string Subject { get; private init; } = "";
    public string Body { get; private init; } = "";

    /// <summary>The attached file (a meeting's .ics), kept with the delivery so a retry sends exactly what was first written.</summary>
    public string? AttachmentFileName { get; private init; }

    public string? AttachmentContentType { get; private init; }
    public string? AttachmentContent { get; private init; }
    public string CaseReference { get; private init; } = "";
    public Guid? CaseId { get; private init; }
    public string? Link { get; private init; }
    public DateTimeOffset? DueAt { get; private init; }
    public Guid SourceEventId { get; private init; }

    /// <summary>A reminder's or escalation's item (<c>initiative/{id}</c>, <c>summons/{meeting}/{id}</c>): answering it cancels the delivery.</summary>
    public string? ReminderKey { get; private init; }

    public Guid? DigestId { get; private set; }
    public DeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }

    /// <summary>Attempts after which it is given up; a retry through the API grants <see cref="MaxAttempts"/> more.</summary>
    public int GiveUpAfter { get; private set; } = MaxAttempts;

    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private init; }
    public DateTimeOffset? SentAt { get; private set; }
    public string? LastError { get; private set; }

    public static Delivery To(string tenantId, Guid unitId, string channel, string? recipient, string recipientKey, string audience, Guid? subscriptionId,
        Notice notice, string kind, Guid sourceEventId, DateTimeOffset now, Func<Guid, string> body, bool held = false, DateTimeOffset? sendAt = null,
        string? reminderKey = null, int giveUpAfter = MaxAttempts)
    {
        var email = channel == Channels.Email;
        var id = Guid.CreateVersion7(now);
        return new Delivery
        {
            Id = id,
            TenantId = tenantId,
            UnitId = unitId,
            Channel = channel,
            Kind = kind,
            Recipient = recipient,
            RecipientKey = recipientKey,
            Audience = audience,
            SubscriptionId = subscriptionId,
            Subject = email ? notice.Email.Subject : EventKinds.Names[kind],
            Body = body(id),
            AttachmentFileName = email ? notice.Email.Attachment?.FileName : null,
            AttachmentContentType = email ? notice.Email.Attachment?.ContentType : null,
            AttachmentContent = email ? notice.Email.Attachment?.Content : null,
            // Only a reference in the case service's format is kept: whatever else an event carried there is not stored either.
            CaseReference = Templates.Ref(notice.CaseReference),
            CaseId = notice.CaseId,
            Link = notice.Link.ToString(),
            DueAt = notice.DueAt,
            SourceEventId = sourceEventId,
            ReminderKey = reminderKey,
            GiveUpAfter = giveUpAfter,
            Status = recipient is null ? DeliveryStatus.Skipped : held ? DeliveryStatus.Held : DeliveryStatus.Pending,
            LastError = recipient is null ? "Enheten har ingen e-postadress för aviseringar." : null,
            NextAttemptAt = sendAt ?? now,
            CreatedAt = now,
        };
    }

    /// <summary>The unit's functional mailbox, for a unit whose administrators have not chosen channels (today's default).</summary>
    public static Delivery Email(string tenantId, Guid unitId, string? recipient, Message message, string caseReference, Guid sourceEventId, DateTimeOffset now) =>
        To(tenantId, unitId, Channels.Email, recipient, recipient?.ToLowerInvariant() ?? $"unit:{unitId}", "unit", null,
            new Notice("", Guid.Empty, caseReference, new Uri("about:blank"), null, message, ""), EventKinds.InitiativeReceived, sourceEventId, now, _ => message.Body);

    /// <summary>A unit the event names but the directory never told notification about: nothing to send, and the record says so.</summary>
    public static Delivery UnknownUnit(string tenantId, Guid unitId, string kind, Notice notice, Guid sourceEventId, DateTimeOffset now) =>
        To(tenantId, unitId, Channels.Email, null, $"unit:{unitId}", "unit", null, notice, kind, sourceEventId, now, _ => "")
            .Because("Enheten finns inte i aviseringstjänstens enhetskatalog.");

    /// <summary>Went out as a line of the morning digest <paramref name="digestId"/>.</summary>
    public void IncludeIn(Guid digestId)
    {
        Status = DeliveryStatus.Digested;
        DigestId = digestId;
    }

    /// <summary>A given-up delivery is tried again now, with <see cref="MaxAttempts"/> more attempts; false for any other status.</summary>
    public bool Retry(DateTimeOffset now)
    {
        if (Status != DeliveryStatus.Failed)
        {
            return false;
        }
        Status = DeliveryStatus.Pending;
        GiveUpAfter = Attempts + MaxAttempts;
        NextAttemptAt = now;
        return true;
    }

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

/// <summary>One attempt to send a delivery, as the delivery log shows it.</summary>
public sealed class DeliveryAttempt
{
    public long Id { get; init; }
    public Guid DeliveryId { get; init; }
    public int Attempt { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary><c>sent</c>, <c>failed</c> (retried later) or <c>given_up</c>.</summary>
    public string Outcome { get; init; } = "";

    /// <summary>The failure's type and the provider's status code, never a message text (which could echo an address).</summary>
    public string? Error { get; init; }
}
